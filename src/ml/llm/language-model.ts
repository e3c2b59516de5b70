/**
 * What the copy and assistant services need from a language model: one chat completion, optionally
 * constrained by a GBNF grammar, with the model's own mean log-probability of what it wrote (used to
 * rank samples). Implemented by the embedded GGUF model (embedded-model.ts) and by any
 * OpenAI-compatible endpoint (openai-endpoint.ts).
 */
export interface CompletionRequest {
  system: string;
  user: string;
  /** GBNF; only sent to models with `supportsGrammar`. */
  grammar?: string;
  maxTokens: number;
  temperature: number;
  seed: number;
  /** Epoch ms after which generation stops (the text so far is returned with `stop: 'deadline'`). */
  deadline: number;
}

export interface Completion {
  text: string;
  /** Tokens generated. */
  tokens: number;
  /** Mean natural-log probability of the generated tokens, when the model reports it. */
  meanLogProb: number | null;
  ms: number;
  stop: 'end' | 'maxTokens' | 'deadline';
}

export interface LanguageModel {
  /** Shown with every generated variant (file name of a GGUF, or the endpoint's model id). */
  readonly name: string;
  /** True when `grammar` constrains decoding (the embedded model); endpoints generate free-form. */
  readonly supportsGrammar: boolean;
  complete(request: CompletionRequest): Promise<Completion>;
  close(): Promise<void>;
}

/** The model could not be loaded or reached; callers fall back to templates and say why. */
export class ModelUnavailableError extends Error {}
