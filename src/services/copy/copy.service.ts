/**
 * generateCopy: copy for a product aimed at a segment or a user, per channel, tone and locale.
 * With a model, several samples are drawn (constrained by the copy grammar, or free-form for a
 * bigger configured model), each checked by every guardrail, ranked by guardrail score then the
 * model's mean log-probability; passing samples become variants. Samples are bounded
 * (variants × COPY_SAMPLES_PER_VARIANT) and so is time (COPY_TIMEOUT_MS); what is missing then comes
 * from the template engine. Results are cached per (product, audience, channel, tone, locale,
 * model, prompt version) and dropped when the product changes.
 */
import { LRUCache } from 'lru-cache';
import type { Config } from '../../config';
import { BadInputError } from '../../errors';
import type { LanguageModel } from '../../ml/llm/language-model';
import { copyGenerationLatency, copyGuardrailFailures, copyVariants } from '../../observability/metrics';
import type { ChangeSignals } from '../change-signals';
import type { AudienceReader } from './audience';
import { copyGrammar } from './copy-grammar';
import { copyPrompt, PROMPT_VERSION } from './copy-prompt';
import { Audience, Channel, CheckResult, Fact, factsOf, factsUsed, Locale, ProductFacts, Tone } from './copy-types';
import { GuardrailContext, guardrailScore, runGuardrails } from './guardrails';
import type { ModelGate } from './model-gate';
import { templateVariant } from './templates';

export const MAX_VARIANTS = 10;

export interface CopyRequest {
  productId: string;
  segmentId?: string | null;
  userId?: string | null;
  channel: Channel;
  tone: Tone;
  locale: Locale;
  variants: number;
  /**
   * Characters the caller appends after the checks (a partner's tracking link, with its space):
   * the length check and the templates leave room for them, the other checks never see them.
   */
  reservedLength?: number;
}

export interface CopyVariant {
  text: string;
  source: 'MODEL' | 'TEMPLATE';
  factsUsed: Fact[];
  checks: CheckResult[];
  score: number;
  /** The model that wrote it; null for a template. */
  model: string | null;
  /** The model's mean log-probability per token; null for a template. */
  meanLogProb: number | null;
}

export interface CopyResult {
  productId: string;
  audience: Audience;
  channel: Channel;
  tone: Tone;
  locale: Locale;
  mode: 'CONSTRAINED' | 'FREE' | 'TEMPLATE';
  promptVersion: string;
  cached: boolean;
  /** Why templates stood in, when they did: NO_MODEL, MODEL_ERROR, TIMEOUT, GUARDRAILS. */
  fallbackReason: string | null;
  /** The model's error when it failed (e.g. the GGUF file or the binary did not load). */
  modelError: string | null;
  variants: CopyVariant[];
  /** Samples drawn from the model and tokens generated (0 for templates and cache hits). */
  samples: number;
  tokens: number;
  generationMs: number;
}

export interface CopyServiceOptions {
  model: LanguageModel | null;
  gate: ModelGate;
  config: Config['copy'];
}

const MAX_TOKENS_BY_CHANNEL: Record<Channel, number> = { PUSH: 24, EMAIL_SUBJECT: 32, SMS: 60, SOCIAL: 70, EMAIL_BODY: 120 };

export class CopyService {
  private readonly cache: LRUCache<string, CopyResult>;

  constructor(
    private readonly reader: AudienceReader,
    private readonly options: CopyServiceOptions,
    signals: ChangeSignals,
  ) {
    this.cache = new LRUCache({ max: Math.max(1, options.config.cacheEntries) });
    signals.on('productsChanged', (rows) => this.invalidate(rows.map((r) => r.id)));
  }

  get modelName(): string | null {
    return this.options.model?.name ?? null;
  }

  /** Drops every cached result of these products. */
  invalidate(productIds: readonly string[]): void {
    const ids = new Set(productIds);
    for (const key of [...this.cache.keys()]) if (ids.has(JSON.parse(key)[0] as string)) this.cache.delete(key);
  }

  async generate(request: CopyRequest): Promise<CopyResult> {
    if (!!request.segmentId === !!request.userId) throw new BadInputError('Give exactly one of segmentId and userId.', { fields: ['segmentId', 'userId'] });
    if (request.variants < 1 || request.variants > MAX_VARIANTS) throw new BadInputError(`variants must be 1..${MAX_VARIANTS}.`, { fields: ['variants'] });
    const mode = !this.options.model || this.options.config.model === 'none' ? 'TEMPLATE' : this.options.config.mode;
    const key = JSON.stringify([request.productId, request.segmentId ? `s:${request.segmentId}` : `u:${request.userId}`, request.channel, request.tone, request.locale, request.variants, request.reservedLength ?? 0, this.modelName, mode, PROMPT_VERSION]);
    const hit = this.cache.get(key);
    if (hit) return { ...hit, cached: true };
    const [product, audience] = await Promise.all([
      this.reader.product(request.productId),
      request.segmentId ? this.reader.segment(request.segmentId) : this.reader.user(request.userId as string),
    ]);
    const result = await this.write(product, audience, request, mode);
    // A result cut short by the model's failure or by time is not kept: the next request tries again.
    if (result.fallbackReason !== 'MODEL_ERROR' && result.fallbackReason !== 'TIMEOUT') this.cache.set(key, result);
    return result;
  }

  /** Checks a text as served copy must pass them (also used by the CLI and the bench). */
  check(text: string, ctx: GuardrailContext): CheckResult[] {
    return runGuardrails(text, ctx);
  }

  private async write(product: ProductFacts, audience: Audience, request: CopyRequest, mode: CopyResult['mode']): Promise<CopyResult> {
    const facts = factsOf(product);
    const ctx: GuardrailContext = {
      channel: request.channel,
      locale: request.locale,
      product,
      facts,
      bannedWords: this.options.config.bannedWords,
      personal: audience.kind === 'USER' ? [audience.id] : [],
      reservedLength: request.reservedLength ?? 0,
    };
    const templateInput = { product, audienceId: audience.id, channel: request.channel, tone: request.tone, locale: request.locale, reservedLength: ctx.reservedLength };
    const chosen: CopyVariant[] = [];
    let fallbackReason: string | null = mode === 'TEMPLATE' ? 'NO_MODEL' : null;
    let modelError: string | null = null;
    let samples = 0;
    let tokens = 0;
    let generationMs = 0;
    const model = this.options.model;
    if (mode !== 'TEMPLATE' && model) {
      const deadline = Date.now() + this.options.config.timeoutMs;
      const maxSamples = request.variants * this.options.config.samplesPerVariant;
      const prompt = copyPrompt({ product, audience, channel: request.channel, tone: request.tone, locale: request.locale, example: templateVariant(templateInput, 0) });
      const grammar = mode === 'CONSTRAINED' && model.supportsGrammar ? copyGrammar({ product, channel: request.channel, tone: request.tone, locale: request.locale, bannedWords: this.options.config.bannedWords }) : undefined;
      const drawn: CopyVariant[] = [];
      try {
        await this.options.gate.run(async () => {
          while (samples < maxSamples && drawn.filter((d) => d.score === 1).length < request.variants) {
            if (Date.now() >= deadline) {
              fallbackReason = 'TIMEOUT';
              return;
            }
            const completion = await model.complete({
              ...prompt,
              grammar,
              maxTokens: Math.min(this.options.config.maxTokens * 2, MAX_TOKENS_BY_CHANNEL[request.channel] * (grammar ? 1 : 2)),
              temperature: this.options.config.temperature,
              seed: samples + 1,
              deadline,
            });
            samples += 1;
            tokens += completion.tokens;
            generationMs += completion.ms;
            copyGenerationLatency.observe({ kind: grammar ? 'constrained' : 'free' }, completion.ms / 1000);
            if (completion.stop === 'deadline') {
              fallbackReason = 'TIMEOUT';
              return;
            }
            const text = cleanModelText(completion.text);
            if (drawn.some((d) => d.text === text)) continue;
            const checks = runGuardrails(text, ctx);
            for (const c of checks) if (!c.passed) copyGuardrailFailures.inc({ check: c.check, source: 'MODEL' });
            drawn.push({ text, source: 'MODEL', factsUsed: factsUsed(text, facts), checks, score: guardrailScore(checks), model: model.name, meanLogProb: completion.meanLogProb });
          }
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'SERVICE_UNAVAILABLE') throw err;
        fallbackReason = 'MODEL_ERROR';
        modelError = (err as Error).message;
      }
      drawn.sort((a, b) => b.score - a.score || (b.meanLogProb ?? -Infinity) - (a.meanLogProb ?? -Infinity));
      chosen.push(...drawn.filter((d) => d.score === 1).slice(0, request.variants));
      if (chosen.length < request.variants) fallbackReason ??= 'GUARDRAILS';
    }
    for (let i = 0; chosen.length < request.variants && i < request.variants * 4; i++) {
      const text = templateVariant(templateInput, i);
      if (chosen.some((c) => c.text === text)) continue;
      const checks = runGuardrails(text, ctx);
      for (const c of checks) if (!c.passed) copyGuardrailFailures.inc({ check: c.check, source: 'TEMPLATE' });
      chosen.push({ text, source: 'TEMPLATE', factsUsed: factsUsed(text, facts), checks, score: guardrailScore(checks), model: null, meanLogProb: null });
    }
    for (const v of chosen) copyVariants.inc({ source: v.source, reason: v.source === 'TEMPLATE' ? fallbackReason ?? 'NONE' : 'NONE' });
    return {
      productId: product.id,
      audience,
      channel: request.channel,
      tone: request.tone,
      locale: request.locale,
      mode,
      promptVersion: PROMPT_VERSION,
      cached: false,
      fallbackReason: chosen.some((c) => c.source === 'TEMPLATE') ? fallbackReason : null,
      modelError,
      variants: chosen,
      samples,
      tokens,
      generationMs,
    };
  }
}

/** A model's text as copy: one paragraph, without wrapping quotes or a trailing half word. */
export function cleanModelText(text: string): string {
  let t = text.trim().replace(/^["“'「]+|["”'」]+$/g, '').trim();
  t = t.replace(/\s*\n+\s*/g, ' ');
  return t;
}
