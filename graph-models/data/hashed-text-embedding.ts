/**
 * A cheap stand-in for transformer text embeddings: TF-IDF over lower-cased word tokens, hashed
 * into `dim` buckets with a sign hash, rows L2-normalised. Lets the text-only baseline run where
 * the ONNX encoder is not available (benchmarks, tests); reports must name it as such.
 */
export function hashedTfidfEmbedding(texts: string[], dim = 256): Float32Array {
  const docs = texts.map((t) => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const df = new Map<string, number>();
  for (const tokens of docs) for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  const out = new Float32Array(texts.length * dim);
  docs.forEach((tokens, row) => {
    const base = row * dim;
    for (const t of tokens) {
      const h = fnv1a(t);
      const idf = Math.log((1 + texts.length) / (1 + (df.get(t) ?? 0))) + 1;
      out[base + (h % dim)] += (h & 0x80000000 ? -1 : 1) * idf;
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += out[base + d] * out[base + d];
    if (norm > 0) for (let d = 0; d < dim; d++) out[base + d] /= Math.sqrt(norm);
  });
  return out;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
