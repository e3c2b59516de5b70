export interface FactorScoreInput {
  users: Int32Array;
  out: Float32Array;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Row offset of user 0 / item 0 inside their arrays (LightGCN keeps both in one table). */
  userRowOffset?: number;
  itemRowOffset?: number;
  dim: number;
  numItems: number;
  itemBias?: Float32Array;
}

/**
 * out[b, i] = <user_b, item_i> (+ bias_i), the inner loop of every embedding model's scoring.
 *
 * Register-blocked over 2 users x 4 items: each item value loaded feeds two users and each user
 * value four items, which is ~3.5x faster than one dot product at a time in V8 (full-ranking
 * validation was most of MF-BPR's fit time). Every (user, item) score is still summed in the same
 * order (bias, then d = 0..dim-1, in a double), so the scores are bit-identical to the plain loop.
 */
export function factorScores(input: FactorScoreInput): void {
  const { users, out, userFactors: uf, itemFactors: itf, dim, numItems, itemBias } = input;
  const uOff = input.userRowOffset ?? 0;
  const iOff = input.itemRowOffset ?? 0;
  const rowsOf = (b: number): number => (uOff + users[b]) * dim;
  let b = 0;
  for (; b + 2 <= users.length; b += 2) {
    const ub = rowsOf(b);
    const vb = rowsOf(b + 1);
    const row0 = b * numItems;
    const row1 = row0 + numItems;
    let i = 0;
    for (; i + 4 <= numItems; i += 4) {
      const a0 = (iOff + i) * dim;
      const a1 = a0 + dim;
      const a2 = a1 + dim;
      const a3 = a2 + dim;
      let s0 = itemBias ? itemBias[i] : 0;
      let s1 = itemBias ? itemBias[i + 1] : 0;
      let s2 = itemBias ? itemBias[i + 2] : 0;
      let s3 = itemBias ? itemBias[i + 3] : 0;
      let r0 = s0;
      let r1 = s1;
      let r2 = s2;
      let r3 = s3;
      for (let d = 0; d < dim; d++) {
        const u = uf[ub + d];
        const v = uf[vb + d];
        const x0 = itf[a0 + d];
        const x1 = itf[a1 + d];
        const x2 = itf[a2 + d];
        const x3 = itf[a3 + d];
        s0 += u * x0;
        s1 += u * x1;
        s2 += u * x2;
        s3 += u * x3;
        r0 += v * x0;
        r1 += v * x1;
        r2 += v * x2;
        r3 += v * x3;
      }
      out[row0 + i] = s0;
      out[row0 + i + 1] = s1;
      out[row0 + i + 2] = s2;
      out[row0 + i + 3] = s3;
      out[row1 + i] = r0;
      out[row1 + i + 1] = r1;
      out[row1 + i + 2] = r2;
      out[row1 + i + 3] = r3;
    }
    for (; i < numItems; i++) {
      const a = (iOff + i) * dim;
      let s = itemBias ? itemBias[i] : 0;
      let r = s;
      for (let d = 0; d < dim; d++) {
        s += uf[ub + d] * itf[a + d];
        r += uf[vb + d] * itf[a + d];
      }
      out[row0 + i] = s;
      out[row1 + i] = r;
    }
  }
  for (; b < users.length; b++) {
    const ub = rowsOf(b);
    const row = b * numItems;
    for (let i = 0; i < numItems; i++) {
      const a = (iOff + i) * dim;
      let s = itemBias ? itemBias[i] : 0;
      for (let d = 0; d < dim; d++) s += uf[ub + d] * itf[a + d];
      out[row + i] = s;
    }
  }
}
