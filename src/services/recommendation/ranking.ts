/**
 * The order of a page, whichever source found the candidates: each candidate scored again with the
 * model's vectors ((1 + cos) / 2 of the user's and the item's, the index's scale) so that a list,
 * an index search and an exact scan agree to the last digit; ties broken by id. Pages then follow
 * each other by key (the last item's score and id): a deeper page, answered by another source, never
 * repeats a product. MMR re-orders for diversity; such pages follow by position.
 */
import { mmrRerank } from '../../ml/mmr';
import { cosine, Vector } from '../../ml/vector';
import type { Candidate } from './candidate-source';

/** Where the previous page ended: its last item's position, score and id. */
export interface PageKey {
  offset: number;
  score: number;
  id: string;
}

export function rescore(candidates: Candidate[], user: Vector | null, vectors: Map<string, Vector>): Candidate[] {
  if (!user) return candidates;
  return candidates.map((c) => {
    const item = vectors.get(c.id);
    return item && !c.popularFill ? { ...c, score: (1 + cosine(user, item)) / 2 } : c;
  });
}

const byScoreThenId = (a: Candidate, b: Candidate): number => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The candidates after `after` (or from the start), in page order, at most `take`. */
export function rank(candidates: Candidate[], diversity: number, take: number, after: PageKey | null): Candidate[] {
  if (diversity > 0) return mmrRerank(candidates, diversity, take).map((i) => candidates[i]).slice(after?.offset ?? 0);
  const sorted = [...candidates].sort(byScoreThenId);
  if (!after) return sorted.slice(0, take);
  const key = { score: after.score, id: after.id } as Candidate;
  return sorted.filter((c) => byScoreThenId(key, c) < 0).slice(0, take);
}
