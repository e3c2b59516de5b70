/**
 * A fixed principal-component basis of the item text embeddings. The learned text projection is
 * W_text = basis @ W (textDim x rank, then rank x dim), i.e. a rank-limited learned projection.
 * Why: a full 384 x 64 projection over every item costs ~1.2 GMAC forward plus the same backward
 * per training step in plain JS — more than the whole graph propagation — while the sentence
 * embedding's variance sits in a few dozen directions. The basis is computed once per fit and
 * stored with the model, so a new product's text is projected exactly as in training.
 */
import { PCA } from 'ml-pca';
import { sharedFloat32 } from '../../data/shared-arrays';
import { linearGradW } from '../../kernels/sparse';

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

export function fitTextBasis(args: { text: Float32Array; rows: number; textDim: number; rank: number }): TextBasis {
  const { text, rows, textDim } = args;
  const rank = Math.min(args.rank, textDim);
  const mean = new Float64Array(textDim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < textDim; d++) mean[d] += text[r * textDim + d];
  for (let d = 0; d < textDim; d++) mean[d] /= Math.max(1, rows);
  // Deterministic row sample (every step-th row) for the covariance.
  const step = Math.max(1, Math.ceil(rows / MAX_ROWS));
  const sampled = Math.ceil(rows / step);
  const centred = sharedFloat32(sampled * textDim);
  for (let r = 0, m = 0; r < rows; r += step, m++) {
    for (let d = 0; d < textDim; d++) centred[m * textDim + d] = text[r * textDim + d] - mean[d];
  }
  // X^T X of the centred sample with the blocked, threaded linearGradW kernel (fixed summation order).
  const xtx = linearGradW({ x: centred, dy: centred, rows: sampled, inDim: textDim, outDim: textDim });
  const cov = new Float64Array(textDim * textDim);
  for (let q = 0; q < cov.length; q++) cov[q] = xtx[q] / Math.max(1, sampled);

  // The top-`rank` eigenvectors of the covariance by ml-pca (the library src/ml/pca.ts uses too);
  // each sign fixed so its largest loading is positive, so a snapshot always gives the same basis.
  const eigenvectors = new PCA(Array.from({ length: textDim }, (_, a) => Array.from(cov.subarray(a * textDim, (a + 1) * textDim))), {
    isCovarianceMatrix: true,
  }).getEigenvectors();
  const q = new Float64Array(textDim * rank);
  for (let k = 0; k < rank; k++) {
    const column = eigenvectors.getColumn(k);
    let largest = 0;
    for (let a = 1; a < textDim; a++) if (Math.abs(column[a]) > Math.abs(column[largest])) largest = a;
    const sign = column[largest] < 0 ? -1 : 1;
    for (let a = 0; a < textDim; a++) q[a * rank + k] = sign * column[a];
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

/**
 * (text[r] - mean) @ basis for `rows` rows, into shared memory for the kernels. Components go in
 * blocks of 8 accumulated in locals (float64); every row is computed the same way whether it is
 * projected with the catalogue or alone (embedItemFromText), so both give identical features.
 */
export function projectText(b: TextBasis, text: Float32Array, rows: number): Float32Array {
  const { textDim, rank, mean, basis } = b;
  const out = sharedFloat32(rows * rank);
  const centred = new Float64Array(textDim);
  const blocked = rank - (rank % 8);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < textDim; d++) centred[d] = text[r * textDim + d] - mean[d];
    const o = r * rank;
    for (let k = 0; k < blocked; k += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let d = 0; d < textDim; d++) {
        const x = centred[d];
        const w = d * rank + k;
        a0 += x * basis[w]; a1 += x * basis[w + 1]; a2 += x * basis[w + 2]; a3 += x * basis[w + 3];
        a4 += x * basis[w + 4]; a5 += x * basis[w + 5]; a6 += x * basis[w + 6]; a7 += x * basis[w + 7];
      }
      out[o + k] = a0; out[o + k + 1] = a1; out[o + k + 2] = a2; out[o + k + 3] = a3;
      out[o + k + 4] = a4; out[o + k + 5] = a5; out[o + k + 6] = a6; out[o + k + 7] = a7;
    }
    for (let k = blocked; k < rank; k++) {
      let acc = 0;
      for (let d = 0; d < textDim; d++) acc += centred[d] * basis[d * rank + k];
      out[o + k] = acc;
    }
  }
  return out;
}
