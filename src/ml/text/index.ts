export { TextEmbedder } from './text-embedder';
export type { TextEmbedderOptions, EmbedManyOptions, EmbedProgress, TextEmbedderStats } from './text-embedder';
export type { Parallelism } from './onnx-encoder';
export { EMBEDDING_DIM } from './onnx-encoder';
export { ModelFilesMissingError } from './model-files';
