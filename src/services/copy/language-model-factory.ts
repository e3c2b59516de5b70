/** The configured language model: the embedded GGUF file, an OpenAI-compatible endpoint, or none. */
import type { Config } from '../../config';
import { EmbeddedModel } from '../../ml/llm/embedded-model';
import type { LanguageModel } from '../../ml/llm/language-model';
import { OpenAiEndpoint } from '../../ml/llm/openai-endpoint';

export function createLanguageModel(config: Config['copy']): LanguageModel | null {
  if (config.model === 'endpoint' && config.endpoint) return new OpenAiEndpoint(config.endpoint);
  if (config.model === 'embedded') return new EmbeddedModel({ modelPath: config.modelPath, threads: config.threads, contextSize: config.contextSize });
  return null;
}
