import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Installed by scripts/fetch-model.sh; tests fail (not skip) without it — the test command fetches it first.
 * TEXT_MODEL_DIR (as in src/config.ts) points the tests at another variant, e.g. a MINILM_VARIANT=float copy.
 */
export const MODEL_DIR = process.env.TEXT_MODEL_DIR || join(__dirname, '..', '..', '..', '.models', 'all-minilm-l6-v2');

/** Which scripts/fetch-model.sh variant is installed in MODEL_DIR, from its SOURCE marker. */
export function modelVariant(modelDir = MODEL_DIR): 'float' | 'int8' | 'q' {
  const source = readFileSync(join(modelDir, 'SOURCE'), 'utf8');
  if (source.includes(' int8-rows ')) return 'int8';
  if (source.includes('all-minilm-l6-v2-q:')) return 'q';
  return 'float';
}

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
