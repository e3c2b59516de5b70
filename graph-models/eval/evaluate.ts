import { RowSets } from '../data/csr';
import { TemporalSplit } from '../data/split';
import { EvaluationResult, EvaluationSplit, coverageAtK, hitsAtK, ndcgAtK } from './metrics';
import { Recommender } from './recommender';
import { topK } from './top-k';

export interface EvaluateOptions {
  on: EvaluationSplit;
  /** Cut-offs; default [10, 20]. */
  ks?: number[];
  /** Users scored per scoreUsers call; the score buffer is batchSize x numItems floats. Default 256. */
  batchSize?: number;
  /**
   * Score at most this many users, an evenly strided (deterministic) subset of those with relevant
   * items. For early stopping on large graphs, where ranking every user against every item each
   * check costs minutes; reported metrics use all users unless a caller says otherwise.
   */
  maxUsers?: number;
  /** Rank only users this accepts (e.g. those two compared models both know). */
  onlyUsers?: (user: number) => boolean;
  /** Receives each ranked user's metrics (indexed like the sorted ks), for intervals over users. */
  onUser?: (user: number, metrics: UserMetrics) => void;
}

export interface UserMetrics {
  recall: number[];
  ndcg: number[];
  hitRate: number[];
}

/**
 * Full ranking: every item is a candidate except those the user is known to have — train items
 * for validation; train and validation items for test. Relevant items are split.validationItems
 * or split.testItems. Users without a relevant item are skipped (they would score 0 on anything).
 */
export function evaluate(
  model: Pick<Recommender, 'scoreUsers'>,
  split: TemporalSplit,
  opts: EvaluateOptions,
): EvaluationResult {
  const started = performance.now();
  const ks = [...(opts.ks ?? [10, 20])].sort((a, b) => a - b);
  const maxK = ks[ks.length - 1];
  const relevantSets = opts.on === 'test' ? split.testItems : split.validationItems;
  const known = opts.on === 'test' ? split.knownBeforeTest : split.trainItems;
  const { numItems } = split;
  const candidates = usersWithItems(relevantSets);
  const users = sampleEvenly(opts.onlyUsers ? candidates.filter(opts.onlyUsers) : candidates, opts.maxUsers);
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const scores = new Float32Array(batchSize * numItems);
  const sums = { recall: ks.map(() => 0), ndcg: ks.map(() => 0), hitRate: ks.map(() => 0) };
  const lists: Int32Array[] = [];

  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + batchSize));
    model.scoreUsers(batch, scores);
    for (let b = 0; b < batch.length; b++) {
      const u = batch[b];
      const offset = b * numItems;
      for (let k = known.indptr[u]; k < known.indptr[u + 1]; k++) scores[offset + known.indices[k]] = -Infinity;
      const ranked = topK({ scores, offset, numItems, k: maxK });
      lists.push(ranked);
      const relevant = new Set(relevantSets.indices.subarray(relevantSets.indptr[u], relevantSets.indptr[u + 1]));
      const user: UserMetrics = { recall: [], ndcg: [], hitRate: [] };
      ks.forEach((k, i) => {
        const hits = hitsAtK(ranked, relevant, k);
        user.recall.push(hits / relevant.size);
        user.hitRate.push(hits > 0 ? 1 : 0);
        user.ndcg.push(ndcgAtK(ranked, relevant, k));
        sums.recall[i] += user.recall[i];
        sums.hitRate[i] += user.hitRate[i];
        sums.ndcg[i] += user.ndcg[i];
      });
      opts.onUser?.(u, user);
    }
  }
  const n = Math.max(1, users.length);
  const byK = (values: number[]): Record<number, number> =>
    Object.fromEntries(ks.map((k, i) => [k, values[i] / n])) as Record<number, number>;
  return {
    on: opts.on,
    users: users.length,
    ks,
    recall: byK(sums.recall),
    ndcg: byK(sums.ndcg),
    hitRate: byK(sums.hitRate),
    coverage: Object.fromEntries(ks.map((k) => [k, coverageAtK(lists, numItems, k)])) as Record<number, number>,
    seconds: (performance.now() - started) / 1000,
  };
}

function usersWithItems(sets: RowSets): Int32Array {
  const out: number[] = [];
  for (let u = 0; u + 1 < sets.indptr.length; u++) if (sets.indptr[u + 1] > sets.indptr[u]) out.push(u);
  return Int32Array.from(out);
}

function sampleEvenly(users: Int32Array, max: number | undefined): Int32Array {
  if (max === undefined || users.length <= max) return users;
  const out = new Int32Array(max);
  const stride = users.length / max;
  for (let i = 0; i < max; i++) out[i] = users[Math.floor(i * stride)];
  return out;
}
