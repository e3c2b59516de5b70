/**
 * Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distance: for each point,
 * (b - a) / max(a, b) where a is its mean distance to its own cluster and b the smallest mean
 * distance to another cluster. Quadratic in the number of points, so large inputs are scored on a
 * seeded sample (the usual practice, e.g. scikit-learn's `sample_size`).
 */
import { sampleIndices } from './seeded-sample';

export interface SilhouetteOptions {
  /** Score at most this many points (default 2000). */
  sampleSize?: number;
  seed?: number;
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

export function silhouette(points: ArrayLike<number>[], assignments: readonly number[], options: SilhouetteOptions = {}): number {
  if (points.length !== assignments.length) throw new Error('silhouette: one assignment per point');
  const rows = sampleIndices(points.length, options.sampleSize ?? 2000, options.seed ?? 1);
  const clusters = [...new Set(rows.map((i) => assignments[i]))];
  if (clusters.length < 2) return 0;
  let total = 0;
  for (const i of rows) {
    const sums = new Map<number, { sum: number; count: number }>();
    for (const j of rows) {
      if (i === j) continue;
      const entry = sums.get(assignments[j]) ?? { sum: 0, count: 0 };
      entry.sum += distance(points[i], points[j]);
      entry.count += 1;
      sums.set(assignments[j], entry);
    }
    const own = sums.get(assignments[i]);
    // A point alone in its cluster scores 0 by definition.
    if (!own || own.count === 0) continue;
    const a = own.sum / own.count;
    let b = Infinity;
    for (const [cluster, entry] of sums) if (cluster !== assignments[i]) b = Math.min(b, entry.sum / entry.count);
    if (b === Infinity) continue;
    total += (b - a) / Math.max(a, b, Number.EPSILON);
  }
  return total / rows.length;
}
