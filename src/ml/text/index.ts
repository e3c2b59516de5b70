export { TextEmbedder } from './text-embedder';
export type { TextEmbedderOptions, EmbedManyOptions, EmbedProgress, TextEmbedderStats } from './text-embedder';
export type { Parallelism } from './onnx-encoder';
export { TEXT_ENCODERS, TEXT_ENCODER_NAMES } from './encoders';
export type { TextEncoderName, TextEncoderSpec } from './encoders';
export { ModelFilesMissingError } from './model-files';
