/**
 * The serving cache's fold-in lists (serving-cache/fold-in-lister.ts): for a page of users who
 * acted since training, their vector folded in from their latest events and the index's answer for
 * it, in one query, with the recent item behind each candidate's reason computed here from the
 * artifact's vectors, as request-time fold-in computes it. The lists are what a request-time
 * fold-in would search, asked once per change of the user's events instead of once per request.
 */
import type { RecommendationRepository } from '../repositories/recommendation.repository';
import type { ActiveModel, LoadedGat } from './active-model.service';
import { explainedCandidates, foldInVector } from './fold-in';
import { CANDIDATE_LIST_SIZE, MAX_EXTRA_CANDIDATES } from './recommendation-limits';
import type { CandidateListRow } from './serving-cache/cached-user';
import type { FoldInLister } from './serving-cache/fold-in-lister';
import type { RecentItemRow } from '../repositories/recommendation.repository';

export class FoldInListService implements FoldInLister {
  constructor(
    private readonly repo: RecommendationRepository,
    private readonly gatOf: (model: ActiveModel) => Promise<LoadedGat | null>,
  ) {}

  async lists(model: ActiveModel, users: { id: string; recent: RecentItemRow[] }[]): Promise<Map<string, CandidateListRow>> {
    const lists = new Map<string, CandidateListRow>();
    const gat = await this.gatOf(model);
    if (!gat) return lists;
    const recentOf = new Map(users.map((u) => [u.id, u.recent]));
    const queries = users.flatMap(({ id, recent }) => {
      const vector = foldInVector(gat, recent);
      return vector ? [{ userId: id, vector }] : [];
    });
    if (queries.length === 0) return lists;
    const rows = await this.repo.foldInLists(model.slot, { queries, k: CANDIDATE_LIST_SIZE, maxExtra: MAX_EXTRA_CANDIDATES });
    for (const { id, rows: scored } of rows) {
      // A product embedded after the artifact: no list, requests fold the user in.
      const candidates = explainedCandidates(gat, scored, recentOf.get(id) ?? []);
      if (!candidates) continue;
      lists.set(id, {
        ids: candidates.map((c) => c.id),
        scores: candidates.map((c) => c.score),
        closestIds: candidates.map((c) => c.closest?.productId ?? ''),
        closestSimilarities: candidates.map((c) => c.closest?.similarity ?? -2),
      });
    }
    return lists;
  }
}
