/**
 * Any OpenAI-compatible chat-completions endpoint (llama.cpp server, vLLM, Ollama, a hosted API),
 * called with plain fetch. It generates free-form: grammars are not portable across servers, so the
 * guardrails alone keep its text grounded.
 */
import type { Completion, CompletionRequest, LanguageModel } from './language-model';
import { ModelUnavailableError } from './language-model';

export interface EndpointOptions {
  /** Base URL up to and including the API version, e.g. http://localhost:8080/v1. */
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
}

interface ChatResponse {
  choices?: { message?: { content?: string }; finish_reason?: string; logprobs?: { content?: { logprob: number }[] } }[];
  usage?: { completion_tokens?: number };
}

export class OpenAiEndpoint implements LanguageModel {
  readonly supportsGrammar = false;
  readonly name: string;

  constructor(private readonly options: EndpointOptions) {
    this.name = options.model;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const started = Date.now();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers,
        signal: AbortSignal.timeout(Math.max(1, request.deadline - Date.now())),
        body: JSON.stringify({
          model: this.options.model,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
          max_tokens: request.maxTokens,
          temperature: request.temperature,
          seed: request.seed,
          logprobs: true,
        }),
      });
    } catch (err) {
      throw new ModelUnavailableError(`model endpoint ${this.options.baseUrl}: ${(err as Error).message}`);
    }
    if (!response.ok) throw new ModelUnavailableError(`model endpoint ${this.options.baseUrl}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
    const body = (await response.json()) as ChatResponse;
    const choice = body.choices?.[0];
    const logprobs = choice?.logprobs?.content ?? [];
    return {
      text: choice?.message?.content ?? '',
      tokens: body.usage?.completion_tokens ?? logprobs.length,
      meanLogProb: logprobs.length ? logprobs.reduce((s, t) => s + t.logprob, 0) / logprobs.length : null,
      ms: Date.now() - started,
      stop: choice?.finish_reason === 'length' ? 'maxTokens' : 'end',
    };
  }

  async close(): Promise<void> {}
}
