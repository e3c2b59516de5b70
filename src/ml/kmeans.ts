/**
 * k-means (ml-kmeans, k-means++ initialisation, seeded) and the choice of k by silhouette.
 * k is chosen on a seeded sample so large user bases stay affordable; the chosen k is then fitted
 * on every point.
 */
import { kmeans } from 'ml-kmeans';
import { sampleIndices } from './seeded-sample';
import { silhouette } from './silhouette';

export interface Clustering {
  k: number;
  /** Cluster index per point, 0..k-1, renumbered by decreasing cluster size. */
  assignments: number[];
  centroids: number[][];
}

export interface KScore {
  k: number;
  silhouette: number;
}

export interface ChooseKOptions {
  minK: number;
  maxK: number;
  seed: number;
  /** Fit candidate k on at most this many points (default 5000). */
  fitSample?: number;
  /** Score silhouettes on at most this many points (default 2000). */
  silhouetteSample?: number;
  maxIterations?: number;
  onProgress?: (score: KScore) => void;
}

export interface ChosenClustering extends Clustering {
  silhouette: number;
  scores: KScore[];
}

export function cluster(points: number[][], k: number, options: { seed: number; maxIterations?: number }): Clustering {
  if (k < 1 || k > points.length) throw new Error(`k-means: k=${k} needs 1..${points.length} points`);
  const result = kmeans(points, k, { seed: options.seed, initialization: 'kmeans++', maxIterations: options.maxIterations ?? 100 });
  return renumberBySize(result.clusters, result.centroids, k);
}

/** Largest cluster first, so segment numbering is stable for the same data and seed. */
function renumberBySize(assignments: number[], centroids: number[][], k: number): Clustering {
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignments) sizes[c] += 1;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const newIndex = new Array<number>(k);
  order.forEach((old, i) => (newIndex[old] = i));
  return { k, assignments: assignments.map((c) => newIndex[c]), centroids: order.map((old) => centroids[old]) };
}

/** Tries every k in [minK, maxK] (capped by the number of points) and keeps the best silhouette. */
export function chooseK(points: number[][], options: ChooseKOptions): ChosenClustering {
  const maxK = Math.min(options.maxK, points.length - 1);
  const minK = Math.max(2, Math.min(options.minK, maxK));
  if (maxK < 2) throw new Error(`k-means needs at least 3 points to choose k; got ${points.length}`);
  const sample = sampleIndices(points.length, options.fitSample ?? 5000, options.seed).map((i) => points[i]);
  const scores: KScore[] = [];
  let best: KScore | undefined;
  for (let k = minK; k <= maxK; k++) {
    const fit = cluster(sample, k, { seed: options.seed, maxIterations: options.maxIterations });
    const score = { k, silhouette: silhouette(sample, fit.assignments, { sampleSize: options.silhouetteSample, seed: options.seed }) };
    scores.push(score);
    options.onProgress?.(score);
    if (!best || score.silhouette > best.silhouette) best = score;
  }
  const chosen = best as KScore;
  const final = cluster(points, chosen.k, { seed: options.seed, maxIterations: options.maxIterations });
  const finalSilhouette = silhouette(points, final.assignments, { sampleSize: options.silhouetteSample, seed: options.seed });
  return { ...final, silhouette: finalSilhouette, scores };
}
