/**
 * The serving cache's fold-in lists: for a page of users who acted since training, their vector
 * folded in from their latest events and the index's answer for it, in one query — what a
 * request-time fold-in would search, asked once per change of the user's events instead of once
 * per request.
 */
import type { RecentItemRow } from '../../../repositories/candidate.cypher';
import type { ActiveModel, LoadedGat } from '../../active-model.service';
import { foldInVector } from '../fold-in';
import { CANDIDATE_LIST_SIZE, MAX_HISTORY_EXTRA } from '../limits';
import type { CandidateListRow } from './cached-user';
import type { CandidateListRepository } from '../../../repositories/candidate-list.repository';

/** What the cache asks for (an interface so its tests can answer without Neo4j). */
export interface FoldInLister {
  /** Lists of the users whose fold-in could be searched; a user left out is folded in per request. */
  lists(model: ActiveModel, users: { id: string; recent: RecentItemRow[] }[]): Promise<Map<string, CandidateListRow>>;
}

export class FoldInLists implements FoldInLister {
  constructor(
    private readonly candidateLists: CandidateListRepository,
    private readonly gatOf: (model: ActiveModel) => Promise<LoadedGat | null>,
  ) {}

  async lists(model: ActiveModel, users: { id: string; recent: RecentItemRow[] }[]): Promise<Map<string, CandidateListRow>> {
    const lists = new Map<string, CandidateListRow>();
    const gat = await this.gatOf(model);
    if (!gat) return lists;
    const queries = users.flatMap(({ id, recent }) => {
      const vector = foldInVector(gat, recent);
      return vector ? [{ userId: id, vector }] : [];
    });
    if (queries.length === 0) return lists;
    const rows = await this.candidateLists.foldInLists(model.slot, { queries, k: CANDIDATE_LIST_SIZE, maxExtra: MAX_HISTORY_EXTRA });
    for (const { id, rows: scored } of rows) {
      // A product embedded after the artifact: its reason would need Neo4j; requests fold the user in.
      if (scored.some(([productId]) => !gat.itemIndex.has(productId))) continue;
      lists.set(id, { ids: scored.map(([productId]) => productId), scores: scored.map(([, score]) => score) });
    }
    return lists;
  }
}
