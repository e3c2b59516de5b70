/**
 * Principal component analysis for drawing embeddings in 2-D: the covariance matrix (d × d, d is the
 * embedding size, e.g. 64) and its leading eigenvectors by power iteration with deflation. Cheap for
 * thousands of points; deterministic (fixed start vector, sign fixed so the largest loading is positive).
 */
export interface PcaResult {
  /** One row per input vector, `components` coordinates each. */
  points: number[][];
  /** Unit eigenvectors of the covariance, largest variance first. */
  components: number[][];
  /** Share of the total variance each component explains (0..1). */
  explainedVariance: number[];
  mean: number[];
}

export function pca(vectors: ArrayLike<number>[], components = 2, iterations = 200): PcaResult {
  const n = vectors.length;
  const dim = n > 0 ? vectors[0].length : 0;
  const mean = new Array<number>(dim).fill(0);
  for (const v of vectors) for (let i = 0; i < dim; i++) mean[i] += v[i] / n;

  const cov = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (const v of vectors) {
    for (let i = 0; i < dim; i++) {
      const di = v[i] - mean[i];
      if (di === 0) continue;
      const row = cov[i];
      for (let j = i; j < dim; j++) row[j] += di * (v[j] - mean[j]);
    }
  }
  const denominator = Math.max(1, n - 1);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      cov[i][j] /= denominator;
      cov[j][i] = cov[i][j];
    }
  }
  const totalVariance = cov.reduce((s, row, i) => s + row[i], 0);

  const found: number[][] = [];
  const eigenvalues: number[] = [];
  for (let c = 0; c < Math.min(components, dim); c++) {
    const { vector, value } = leadingEigenvector(cov, iterations);
    found.push(vector);
    eigenvalues.push(value);
    // Deflate: remove this direction so the next iteration finds the next one.
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) cov[i][j] -= value * vector[i] * vector[j];
  }
  while (found.length < components) {
    found.push(new Array<number>(dim).fill(0));
    eigenvalues.push(0);
  }

  const points = vectors.map((v) =>
    found.map((component) => {
      let s = 0;
      for (let i = 0; i < dim; i++) s += (v[i] - mean[i]) * component[i];
      return s;
    }),
  );
  return {
    points,
    components: found,
    explainedVariance: eigenvalues.map((value) => (totalVariance > 0 ? Math.max(0, value) / totalVariance : 0)),
    mean,
  };
}

function leadingEigenvector(matrix: number[][], iterations: number): { vector: number[]; value: number } {
  const dim = matrix.length;
  // A fixed, non-symmetric start so no eigenvector is orthogonal to it by construction.
  let v = Array.from({ length: dim }, (_, i) => 1 + i / dim);
  v = normalise(v);
  for (let it = 0; it < iterations; it++) {
    const next = multiply(matrix, v);
    const length = Math.hypot(...next);
    if (length < 1e-12) return { vector: new Array<number>(dim).fill(0), value: 0 };
    const normalised = next.map((x) => x / length);
    const delta = normalised.reduce((s, x, i) => s + Math.abs(x - v[i]), 0);
    v = normalised;
    if (delta < 1e-10) break;
  }
  // Rayleigh quotient: the eigenvalue, with its sign (deflated matrices can go slightly negative).
  const value = dotProduct(v, multiply(matrix, v));
  let largest = 0;
  for (let i = 1; i < dim; i++) if (Math.abs(v[i]) > Math.abs(v[largest])) largest = i;
  if (v[largest] < 0) v = v.map((x) => -x);
  return { vector: v, value };
}

function multiply(matrix: number[][], v: number[]): number[] {
  return matrix.map((row) => dotProduct(row, v));
}

function dotProduct(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(v: number[]): number[] {
  const length = Math.hypot(...v);
  return length === 0 ? v : v.map((x) => x / length);
}
