/**
 * Principal component analysis for drawing embeddings in 2-D, by ml-pca on the covariance matrix
 * (d × d, d is the embedding size, e.g. 64): cheap for thousands of points. Each component's sign is
 * fixed so its largest loading is positive, so the same data always gives the same picture.
 */
import { PCA } from 'ml-pca';

export interface PcaResult {
  /** One row per input vector, `components` coordinates each. */
  points: number[][];
  /** Unit eigenvectors of the covariance, largest variance first. */
  components: number[][];
  /** Share of the total variance each component explains (0..1). */
  explainedVariance: number[];
  mean: number[];
}

export function pca(vectors: ArrayLike<number>[], components = 2): PcaResult {
  const n = vectors.length;
  const dim = n > 0 ? vectors[0].length : 0;
  const rows = vectors.map((v) => Array.from(v));
  const mean = new Array<number>(dim).fill(0);
  for (const v of rows) for (let i = 0; i < dim; i++) mean[i] += v[i] / n;

  const found: number[][] = [];
  const explainedVariance: number[] = [];
  // ml-pca needs two points and some variance; below that every point sits at the origin.
  if (n >= 2 && rows.some((v) => v.some((x, i) => x !== mean[i]))) {
    const model = new PCA(rows, { method: 'covarianceMatrix', center: true, scale: false });
    const eigenvectors = model.getEigenvectors();
    const shares = model.getExplainedVariance();
    for (let c = 0; c < Math.min(components, dim); c++) {
      const vector = eigenvectors.getColumn(c);
      let largest = 0;
      for (let i = 1; i < dim; i++) if (Math.abs(vector[i]) > Math.abs(vector[largest])) largest = i;
      found.push(vector[largest] < 0 ? vector.map((x) => -x) : vector);
      explainedVariance.push(Math.max(0, shares[c]));
    }
  }
  while (found.length < components) {
    found.push(new Array<number>(dim).fill(0));
    explainedVariance.push(0);
  }

  const points = rows.map((v) =>
    found.map((component) => {
      let s = 0;
      for (let i = 0; i < dim; i++) s += (v[i] - mean[i]) * component[i];
      return s;
    }),
  );
  return { points, components: found, explainedVariance, mean };
}
