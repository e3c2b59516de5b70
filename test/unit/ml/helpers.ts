import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Installed by scripts/fetch-model.sh; tests fail (not skip) without it — the test command fetches it first. */
export const MODEL_DIR = join(__dirname, '..', '..', '..', '.models', 'all-minilm-l6-v2');

export function cosine(a: Float32Array | readonly number[], b: Float32Array | readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

export function tempCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'affinity-embcache-'));
}
