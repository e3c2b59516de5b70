/**
 * Sentence vector = mean of the token vectors the attention mask keeps, then L2-normalised
 * (the pooling all-MiniLM-L6-v2 was trained with: sentence-transformers Pooling(mean) + Normalize).
 *
 * @param hidden  last_hidden_state, row-major [batch, seqLen, dim]
 * @param lengths real (unpadded) token count of each row; the mask is 1 for the first `lengths[b]` tokens
 */
export function meanPoolNormalize(
  hidden: Float32Array,
  lengths: readonly number[],
  seqLen: number,
  dim: number,
): Float32Array[] {
  const out: Float32Array[] = [];
  const acc = new Float64Array(dim); // float64 sum: 256 tokens of float32 would lose low bits
  for (let b = 0; b < lengths.length; b++) {
    acc.fill(0);
    const n = lengths[b];
    const base = b * seqLen * dim;
    for (let t = 0; t < n; t++) {
      const off = base + t * dim;
      for (let d = 0; d < dim; d++) acc[d] += hidden[off + d];
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      acc[d] /= Math.max(n, 1);
      norm += acc[d] * acc[d];
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++) v[d] = acc[d] * scale;
    out.push(v);
  }
  return out;
}

/**
 * Sentence vector = the first ([CLS]) token's vector, L2-normalised (bge-small-zh-v1.5's pooling:
 * sentence-transformers Pooling(cls) + Normalize). Same arguments as meanPoolNormalize.
 */
export function clsPoolNormalize(
  hidden: Float32Array,
  lengths: readonly number[],
  seqLen: number,
  dim: number,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < lengths.length; b++) {
    const base = b * seqLen * dim;
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += hidden[base + d] * hidden[base + d];
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++) v[d] = hidden[base + d] * scale;
    out.push(v);
  }
  return out;
}
