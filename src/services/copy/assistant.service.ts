/**
 * The shopping assistant: answers from the catalogue only. Semantic search over product text finds
 * candidates (the user's interests, when given, lift candidates in those categories); below
 * ASSISTANT_MIN_SCORE, or matched only by words of a product's title (assistant-relevance.ts), the
 * catalogue has no answer and it says so without asking the model. The
 * model's answer must cite product ids ("[ml-m1]") that are among the candidates, and state no
 * number that is not among their facts; a constrained model can only cite candidates (grammar). An
 * answer that fails is replaced by a plain list of the candidates. Turns are kept per
 * conversationId for a bounded time.
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Config } from '../../config';
import type { LanguageModel } from '../../ml/llm/language-model';
import { copyGuardrailFailures } from '../../observability/metrics';
import type { ProductDiscoveryService } from '../product-discovery.service';
import type { AudienceReader } from './audience';
import { relevantScores } from './assistant-relevance';
import { clip } from './copy-prompt';
import { CheckResult, factsOf, Locale, ProductFacts } from './copy-types';
import { literal, vocabulary, vocabularyRules } from './copy-grammar';
import { checkGrounding } from './grounding';
import { checkRepetition } from './repetition';
import type { ModelGate } from './model-gate';

export interface AssistantRequest {
  question: string;
  userId?: string | null;
  locale: Locale;
  conversationId?: string | null;
}

export interface AssistantAnswer {
  conversationId: string;
  answer: string;
  /** Product ids the answer cites, all among `candidateIds`. */
  citedProductIds: string[];
  candidateIds: string[];
  /** False when the catalogue had nothing relevant and the assistant said it does not know. */
  answered: boolean;
  source: 'MODEL' | 'TEMPLATE';
  checks: CheckResult[];
  model: string | null;
  ms: number;
}

interface Turn {
  question: string;
  answer: string;
}

const CITATION = /\[([^\][\s]+)\]/g;

export function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(CITATION)].map((m) => m[1]))];
}

/** Every cited id must be a candidate, at least one must be cited, and none twice ("X [1], and X [1]"). */
export function checkCitations(text: string, candidateIds: readonly string[]): CheckResult {
  const cited = citedIds(text);
  const unknown = cited.filter((id) => !candidateIds.includes(id));
  const twice = [...text.matchAll(CITATION)].map((m) => m[1]).filter((id, i, all) => all.indexOf(id) !== i);
  const passed = cited.length > 0 && unknown.length === 0 && twice.length === 0;
  const detail = unknown.length ? `not among the candidates: ${unknown.join(', ')}` : twice.length ? `cites ${twice.join(', ')} twice` : 'cites no product';
  return { check: 'CITATIONS', passed, detail: passed ? null : detail };
}

const DONT_KNOW: Record<Locale, string> = {
  en: "I don't know: our catalogue has nothing that answers this.",
  zh: '抱歉，我不知道：我们的商品目录里没有相关内容。',
};

export class AssistantService {
  private readonly conversations: LRUCache<string, Turn[]>;

  constructor(
    private readonly discovery: ProductDiscoveryService,
    private readonly reader: AudienceReader,
    private readonly options: { model: LanguageModel | null; gate: ModelGate; config: Config['copy'] },
  ) {
    const a = options.config.assistant;
    this.conversations = new LRUCache({ max: a.maxConversations, ttl: a.conversationTtlMs });
  }

  async ask(request: AssistantRequest): Promise<AssistantAnswer> {
    const started = Date.now();
    const conversationId = request.conversationId && this.conversations.has(request.conversationId) ? request.conversationId : randomUUID();
    const turns = this.conversations.get(conversationId) ?? [];
    // A follow-up ("and a funnier one?") is searched together with the previous question.
    const query = [turns[turns.length - 1]?.question, request.question].filter(Boolean).join(' ');
    const config = this.options.config.assistant;
    const hits = (await this.discovery.search(query, config.candidates * 2)).filter((h) => h.score >= config.minScore);
    const interests = request.userId ? new Set((await this.reader.user(request.userId)).interests) : new Set<string>();
    const hitScore = new Map(hits.map((h) => [h.id, h.score]));
    const found = await this.reader.products(hits.map((h) => h.id));
    // A hit matched only through words of its title does not count (assistant-relevance.ts).
    const score = await relevantScores(
      query,
      found.map((product) => ({ product, score: hitScore.get(product.id) ?? 0 })),
      { locale: request.locale, minScore: config.minScore, score: async (text, id) => (await this.discovery.textScores(text, [id]))[0]?.score ?? null },
    );
    const products = found.filter((p) => score.has(p.id));
    // Interests re-rank, they never add products: a small lift per matching category.
    const lift = (p: ProductFacts) => (score.get(p.id) ?? 0) + 0.02 * p.categories.filter((c) => interests.has(c)).length;
    const candidates = products.sort((a, b) => lift(b) - lift(a)).slice(0, config.candidates);
    const candidateIds = candidates.map((c) => c.id);
    let result: Omit<AssistantAnswer, 'conversationId' | 'ms'>;
    if (candidates.length === 0) {
      result = { answer: DONT_KNOW[request.locale], citedProductIds: [], candidateIds, answered: false, source: 'TEMPLATE', checks: [], model: null };
    } else {
      result = await this.answer(request, candidates, turns);
    }
    this.conversations.set(conversationId, [...turns, { question: request.question, answer: result.answer }].slice(-config.maxTurns));
    return { conversationId, ...result, ms: Date.now() - started };
  }

  private async answer(request: AssistantRequest, candidates: ProductFacts[], turns: Turn[]): Promise<Omit<AssistantAnswer, 'conversationId' | 'ms'>> {
    const candidateIds = candidates.map((c) => c.id);
    const facts = candidates.flatMap((c) => [...factsOf(c), { kind: 'TITLE' as const, value: c.id }]);
    const check = (text: string) => [checkCitations(text, candidateIds), checkGrounding(text, facts), checkRepetition(text, request.locale, facts)];
    const model = this.options.model;
    if (model && this.options.config.model !== 'none') {
      try {
        const completion = await this.options.gate.run(() =>
          model.complete({
            ...assistantPrompt(request, candidates, turns),
            grammar: model.supportsGrammar ? assistantGrammar(candidates, request.locale, this.options.config.bannedWords) : undefined,
            maxTokens: 80,
            temperature: 0.3,
            seed: 1,
            deadline: Date.now() + this.options.config.timeoutMs,
          }),
        );
        const text = completion.text.trim();
        const checks = check(text);
        for (const c of checks) if (!c.passed) copyGuardrailFailures.inc({ check: c.check, source: 'ASSISTANT' });
        if (completion.stop !== 'deadline' && checks.every((c) => c.passed)) {
          return { answer: text, citedProductIds: citedIds(text), candidateIds, answered: true, source: 'MODEL', checks, model: model.name };
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'SERVICE_UNAVAILABLE') throw err;
      }
    }
    const text = listAnswer(candidates, request.locale);
    return { answer: text, citedProductIds: citedIds(text), candidateIds, answered: true, source: 'TEMPLATE', checks: check(text), model: null };
  }
}

function listAnswer(candidates: ProductFacts[], locale: Locale): string {
  const items = candidates.slice(0, 3).map((c) => `${c.title} [${c.id}]`);
  return locale === 'zh' ? `目录中相关的商品：${items.join('、')}。` : `From our catalogue: ${items.join(', ')}.`;
}

function assistantPrompt(request: AssistantRequest, candidates: ProductFacts[], turns: Turn[]): { system: string; user: string } {
  const language = request.locale === 'zh' ? 'Simplified Chinese' : 'English';
  return {
    system:
      `You are a shop assistant. Answer in ${language} using only the products listed, citing each product you mention by its id in square brackets, like [${candidates[0].id}]. ` +
      'Never invent prices, numbers or products.',
    user: [
      ...turns.slice(-3).flatMap((t) => [`Earlier question: ${t.question}`, `Earlier answer: ${t.answer}`]),
      'Products:',
      ...candidates.map((c) => `[${c.id}] ${c.title}${c.categories.length ? ` (${c.categories.join(', ')})` : ''}${c.price ? `, price ${c.price}` : ''}${c.description ? `: ${clip(c.description, 160)}` : ''}`),
      `Question: ${request.question}`,
    ].join('\n'),
  };
}

/** Citations can only name candidates; the words around them come from the candidates' own text and common words. */
export function assistantGrammar(candidates: ProductFacts[], locale: Locale, bannedWords?: readonly string[]): string {
  const cite = candidates.map((c) => literal(`${c.title} [${c.id}]`)).join(' | ');
  if (locale === 'zh') {
    return [`root ::= "为你推荐：" item ("、" item){0,2} "。"`, `item ::= ${cite}`].join('\n');
  }
  return [
    'root ::= lead " " item (", and " item)? ". " reason "."',
    'lead ::= "You could try" | "I suggest" | "Have a look at"',
    `item ::= ${cite}`,
    'reason ::= starter " " word (" " word){1,9} " " last',
    'starter ::= "It is" | "This is" | "Expect" | "Enjoy" | "You will find"',
    ...vocabularyRules(vocabulary(candidates, bannedWords)),
  ].join('\n');
}
