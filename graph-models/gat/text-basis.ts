/**
 * A fixed principal-component basis of the item text embeddings. The learned text projection is
 * W_text = basis @ W (textDim x rank, then rank x dim), i.e. a rank-limited learned projection.
 * Why: a full 384 x 64 projection over every item costs ~1.2 GMAC forward plus the same backward
 * per training step in plain JS — more than the whole graph propagation — while the sentence
 * embedding's variance sits in a few dozen directions. The basis is computed once per fit and
 * stored with the model, so a new product's text is projected exactly as in training.
 */
import { SeededRandom } from '../data/random';
import { sharedFloat32 } from '../kernels';

export interface TextBasis {
  textDim: number;
  rank: number;
  /** Mean text embedding (textDim). */
  mean: Float32Array;
  /** textDim x rank, orthonormal columns, already divided by the scale below. */
  basis: Float32Array;
}

/** Rows used for the covariance; enough for a stable 64-dim subspace, bounded cost on big catalogues. */
const MAX_ROWS = 8192;

export function fitTextBasis(args: { text: Float32Array; rows: number; textDim: number; rank: number; seed: number }): TextBasis {
  const { text, rows, textDim, seed } = args;
  const rank = Math.min(args.rank, textDim);
  const rng = new SeededRandom(seed ^ 0x7e47);
  const mean = new Float64Array(textDim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < textDim; d++) mean[d] += text[r * textDim + d];
  for (let d = 0; d < textDim; d++) mean[d] /= Math.max(1, rows);
  // Deterministic row sample (every step-th row) for the covariance.
  const step = Math.max(1, Math.ceil(rows / MAX_ROWS));
  const cov = new Float64Array(textDim * textDim);
  const centred = new Float64Array(textDim);
  let used = 0;
  for (let r = 0; r < rows; r += step) {
    for (let d = 0; d < textDim; d++) centred[d] = text[r * textDim + d] - mean[d];
    for (let a = 0; a < textDim; a++) {
      const x = centred[a];
      if (x === 0) continue;
      const row = a * textDim;
      for (let b = a; b < textDim; b++) cov[row + b] += x * centred[b];
    }
    used++;
  }
  for (let a = 0; a < textDim; a++) for (let b = a; b < textDim; b++) cov[b * textDim + a] = cov[a * textDim + b] /= Math.max(1, used);

  // Orthogonal (subspace) iteration for the top-`rank` eigenvectors.
  let q = new Float64Array(textDim * rank);
  for (let k = 0; k < q.length; k++) q[k] = rng.normal();
  orthonormalise(q, textDim, rank);
  for (let it = 0; it < 60; it++) {
    const next = new Float64Array(textDim * rank);
    for (let a = 0; a < textDim; a++) {
      for (let b = 0; b < textDim; b++) {
        const c = cov[a * textDim + b];
        if (c === 0) continue;
        for (let k = 0; k < rank; k++) next[a * rank + k] += c * q[b * rank + k];
      }
    }
    orthonormalise(next, textDim, rank);
    q = next;
  }
  // Scale so the projected features have unit mean variance: keeps the learned W's initial scale data-independent.
  let variance = 0;
  for (let k = 0; k < rank; k++) {
    for (let a = 0; a < textDim; a++) {
      let s = 0;
      for (let b = 0; b < textDim; b++) s += cov[a * textDim + b] * q[b * rank + k];
      variance += q[a * rank + k] * s;
    }
  }
  const scale = Math.sqrt(Math.max(variance / rank, 1e-12));
  const basis = new Float32Array(textDim * rank);
  for (let k = 0; k < basis.length; k++) basis[k] = q[k] / scale;
  return { textDim, rank, mean: Float32Array.from(mean), basis };
}

/** Modified Gram-Schmidt on the columns of a (rows x cols) row-major matrix. */
function orthonormalise(m: Float64Array, rows: number, cols: number): void {
  for (let k = 0; k < cols; k++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += m[r * cols + k] * m[r * cols + j];
      for (let r = 0; r < rows; r++) m[r * cols + k] -= dot * m[r * cols + j];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += m[r * cols + k] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < rows; r++) m[r * cols + k] /= norm;
  }
}

/** (text[r] - mean) @ basis for `rows` rows, into shared memory for the kernels. */
export function projectText(b: TextBasis, text: Float32Array, rows: number): Float32Array {
  const out = sharedFloat32(rows * b.rank);
  const centred = new Float32Array(b.textDim);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < b.textDim; d++) centred[d] = text[r * b.textDim + d] - b.mean[d];
    for (let d = 0; d < b.textDim; d++) {
      const x = centred[d];
      if (x === 0) continue;
      for (let k = 0; k < b.rank; k++) out[r * b.rank + k] += x * b.basis[d * b.rank + k];
    }
  }
  return out;
}
