/** Seeded sampling for the ML helpers: the same seed picks the same rows on every run. */

/** mulberry32: a tiny 32-bit generator, deterministic across platforms; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = (seed | 0) + 0x9e3779b9;
  return () => {
    let t = (state = (state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Indices 0..n-1, or a seeded sample of `size` of them (sorted) when n is larger. */
export function sampleIndices(n: number, size: number, seed: number): number[] {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  const picked = Array.from({ length: n }, (_, i) => i);
  // Partial Fisher-Yates: the first `size` slots become the sample.
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    [picked[i], picked[j]] = [picked[j], picked[i]];
  }
  return picked.slice(0, size).sort((a, b) => a - b);
}
