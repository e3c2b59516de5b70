/** Seeded sampling for the ML helpers: the same seed picks the same rows on every run. */
import { SeededRandom } from '../../graph-models';

/** Indices 0..n-1, or a seeded sample of `size` of them (sorted) when n is larger. */
export function sampleIndices(n: number, size: number, seed: number): number[] {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  // The repository's one PRNG; the seed offset keeps the samples this module has always drawn.
  const rng = new SeededRandom((seed | 0) + 0x9e3779b9);
  const picked = Array.from({ length: n }, (_, i) => i);
  // Partial Fisher-Yates: the first `size` slots become the sample.
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    [picked[i], picked[j]] = [picked[j], picked[i]];
  }
  return picked.slice(0, size).sort((a, b) => a - b);
}
