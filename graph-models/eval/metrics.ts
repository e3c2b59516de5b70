/**
 * Ranking metrics with binary relevance, per user; the evaluator averages them over users that
 * have at least one relevant item. `ranked` is the model's list, best first (only the first k count).
 */
export type EvaluationSplit = 'validation' | 'test';

export interface EvaluationResult {
  on: EvaluationSplit;
  /** Users averaged over (those with at least one relevant item). */
  users: number;
  ks: number[];
  /** Keyed by K. */
  recall: Record<number, number>;
  ndcg: Record<number, number>;
  hitRate: Record<number, number>;
  coverage: Record<number, number>;
  seconds: number;
}

export function hitsAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  let hits = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r])) hits++;
  return hits;
}

/** Hits in the top k over all relevant items (not over min(|relevant|, k)); 0 when nothing is relevant. */
export function recallAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return relevant.size === 0 ? 0 : hitsAtK(ranked, relevant, k) / relevant.size;
}

/** 1 when any relevant item is in the top k. */
export function hitRateAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return hitsAtK(ranked, relevant, k) > 0 ? 1 : 0;
}

/** DCG with gain 1/log2(rank + 2) (rank from 0), over the ideal DCG of min(|relevant|, k) hits at the top. */
export function ndcgAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r])) dcg += 1 / Math.log2(r + 2);
  let ideal = 0;
  const m = Math.min(k, relevant.size);
  for (let r = 0; r < m; r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}

/** Share of the catalogue that appears in at least one of the users' top-k lists. */
export function coverageAtK(rankedLists: Iterable<ArrayLike<number>>, numItems: number, k: number): number {
  if (numItems === 0) return 0;
  const seen = new Uint8Array(numItems);
  let distinct = 0;
  for (const ranked of rankedLists) {
    const n = Math.min(k, ranked.length);
    for (let r = 0; r < n; r++) {
      if (!seen[ranked[r]]) {
        seen[ranked[r]] = 1;
        distinct++;
      }
    }
  }
  return distinct / numItems;
}
