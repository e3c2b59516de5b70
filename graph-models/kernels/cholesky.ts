/**
 * Dense symmetric positive definite solves on row-major Float64Arrays, for the closed-form
 * baselines (EASE's Gram inverse, ALS's per-row normal equations).
 *
 * Own code rather than ml-matrix: ml-matrix's CholeskyDecomposition(A).solve(I) took 4.6 s for a
 * 610 x 610 inverse and 163 s for 1500 x 1500 (column-wise access over arrays of rows), this
 * 0.5 s and 8 s (row-major, inner loops over contiguous rows; docs/experiments.md).
 */

/** Overwrites the lower triangle of `a` (n x n, row-major) with L where A = L Lᵀ; throws if A is not positive definite. */
export function choleskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0)) throw new Error(`matrix is not positive definite (pivot ${j}: ${d})`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
  }
}

/** Solves L Lᵀ x = b for x in place of b, with L from choleskyInPlace. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * A⁻¹ of a symmetric positive definite A (row-major, not modified). Inverts L (lower
 * triangular, row by row) and forms A⁻¹ = L⁻ᵀ L⁻¹ from rows of L⁻¹, so every inner loop walks
 * contiguous memory.
 */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  const l = a.slice();
  choleskyInPlace(l, n);
  // w = L⁻¹ (lower triangular): row i from rows < i.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const inv = 1 / l[ri + i];
    w[ri + i] = inv;
    // w[i, c] = -(Σ_{k=c}^{i-1} L[i,k] w[k,c]) / L[i,i] for c < i; accumulate row-wise over k.
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) w[ri + c] -= lik * w[rk + c];
    }
    for (let c = 0; c < i; c++) w[ri + c] *= inv;
  }
  // A⁻¹ = Wᵀ W: out[r, c] = Σ_k w[k, r] w[k, c]; accumulate each row k of W as an outer product.
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let r = 0; r <= k; r++) {
      const wr = w[rk + r];
      if (wr === 0) continue;
      const ro = r * n;
      for (let c = 0; c <= r; c++) out[ro + c] += wr * w[rk + c];
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) out[c * n + r] = out[r * n + c];
  return out;
}
