/**
 * Maximal marginal relevance: picks items one by one, trading relevance against similarity to
 * what was already picked. diversity 0 = pure relevance order; 1 = pure novelty.
 */
import { cosine, Vector } from './vector';

export interface MmrCandidate {
  score: number;
  /** May be null when diversity is 0 (pure relevance needs no vectors); a null counts as dissimilar. */
  vector: Vector | null;
}

/** Returns candidate indices in re-ranked order (at most `take`). */
export function mmrRerank(candidates: MmrCandidate[], diversity: number, take: number): number[] {
  const lambda = Math.min(1, Math.max(0, diversity));
  const n = candidates.length;
  const picked: number[] = [];
  if (n === 0 || take <= 0) return picked;
  if (lambda === 0) {
    return candidates.map((_, i) => i).sort((a, b) => candidates[b].score - candidates[a].score).slice(0, take);
  }
  // Relevance is min-max scaled so it is comparable with cosine similarity in [0, 1].
  const scores = candidates.map((c) => c.score);
  const lo = Math.min(...scores);
  const span = Math.max(...scores) - lo || 1;
  const relevance = scores.map((s) => (s - lo) / span);
  const maxSim = new Float64Array(n).fill(0);
  const used = new Uint8Array(n);
  while (picked.length < Math.min(take, n)) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const value = (1 - lambda) * relevance[i] - lambda * (picked.length === 0 ? 0 : maxSim[i]);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    used[best] = 1;
    picked.push(best);
    for (let i = 0; i < n; i++) {
      const a = candidates[i].vector;
      const b = candidates[best].vector;
      if (!used[i] && a && b) maxSim[i] = Math.max(maxSim[i], cosine(a, b));
    }
  }
  return picked;
}

/** Mean pairwise cosine of a list: lower means more diverse (used by tests and the benchmark). */
export function intraListSimilarity(vectors: Vector[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      sum += cosine(vectors[i], vectors[j]);
      pairs += 1;
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}
