/**
 * The order of a page, whichever source found the candidates: by score, ties by id. Every source
 * scores exactly ((1 + cos) / 2, candidate.cypher.ts EXACT_SCORE; the index's own scores are
 * quantized), so a list, an index search and an exact scan rank the same products alike. Pages then
 * follow each other by key (the last item's score and id): a deeper page, answered by another
 * source, never repeats a product. MMR re-orders for diversity; such pages follow by position.
 */
import { mmrRerank } from '../../ml/mmr';
import type { Candidate } from './candidate-source';

/** Where the previous page ended: its last item's position, score and id. */
export interface PageKey {
  offset: number;
  score: number;
  id: string;
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
