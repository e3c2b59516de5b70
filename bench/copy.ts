/**
 * Generated copy and the shopping assistant with the configured model (the embedded SmolLM2 by
 * default), through the services as the server runs them. For each mode, constrained (grammar with
 * fact slots) and free-form, over products x audiences (segments, else users) x channels, one variant
 * each: median and p95 latency per channel, tokens/s, the share of requests whose variant the model
 * wrote and passed every guardrail (no template fallback), and which checks fail most (per sample).
 * Then the assistant: answer latency, share citing only real candidates, answered share for
 * catalogue questions and "don't know" share for off-catalogue ones. Last, 20 generated variants
 * verbatim (every channel).
 *
 *   npm run build && node dist/bench/copy.js [--products 10] [--audiences 3] [--locale en] [--seed 7]
 *     [--product-prefix ml-m] [--modes constrained,free] [--print 20]
 *
 * A mode the configured model cannot be measured in prints "skipped: <reason>" instead (free-form
 * Chinese with the English-only SmolLM2).
 */
import 'reflect-metadata';
import { basename } from 'node:path';
import { createServices, Services } from '../src/app';
import { type Config, loadConfig } from '../src/config';
import { sampleIndices } from '../src/ml/seeded-sample';
import { copyGuardrailFailures } from '../src/observability/metrics';
import { CHANNELS, CHECKS, Channel, Locale } from '../src/services/copy/copy-types';
import type { CopyResult } from '../src/services/copy/copy.service';
import { arg, percentile, printTable, textArg } from './support/process';

const CATALOGUE_QUESTIONS = [
  'a funny animated movie for the whole family',
  'a scary horror film for tonight',
  'a romantic comedy set in New York',
  'a science fiction film about space travel',
  'a crime thriller with a heist',
  'a war movie about world war two',
  'a funny animated film for kids',
  'something like Toy Story',
];
const OFF_CATALOGUE_QUESTIONS = [
  'How do I reset my router password?',
  'What is the boiling point of liquid nitrogen in kelvin?',
  'Can you recommend a good dentist nearby?',
  'What is the boiling point of water?',
];

interface Sample {
  mode: string;
  channel: Channel;
  productTitle: string;
  audience: string;
  result: CopyResult;
  ms: number;
}

async function failuresByCheck(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const v of (await copyGuardrailFailures.get()).values) {
    if (v.labels.source !== 'MODEL') continue;
    const check = String(v.labels.check);
    counts.set(check, (counts.get(check) ?? 0) + v.value);
  }
  return counts;
}

async function pickWork(services: Services, products: number, audiences: number, prefix: string, seed: number) {
  const ids = await services.db.readOne<{ id: string; title: string }>(
    { name: 'bench.copyProducts', cypher: 'MATCH (p:Product) WHERE p.id STARTS WITH $prefix RETURN p.id AS id, p.title AS title ORDER BY p.id' },
    { prefix },
  );
  const chosen = sampleIndices(ids.length, Math.min(products, ids.length), seed).map((i) => ids[i]);
  const segments = await services.segments.list();
  let audience: { segmentId?: string; userId?: string; label: string }[] = segments
    .slice(0, audiences)
    .map((s) => ({ segmentId: s.id, label: s.label }));
  if (audience.length === 0) {
    const users = await services.db.readOne<{ id: string }>({ name: 'bench.copyUsers', cypher: 'MATCH (u:User) WHERE EXISTS { (u)-[:INTERACTED]->() } RETURN u.id AS id ORDER BY u.id LIMIT toInteger($n)' }, { n: audiences });
    audience = users.map((u) => ({ userId: u.id, label: `user ${u.id}` }));
  }
  return { products: chosen, audience };
}

async function runMode(mode: string, work: Awaited<ReturnType<typeof pickWork>>, locale: Locale, seed: number): Promise<{ samples: Sample[]; failures: Map<string, number> }> {
  const services = createServices(loadConfig({ ...process.env, COPY_MODE: mode, COPY_QUEUE_MAX: '1000' }));
  const before = await failuresByCheck();
  const samples: Sample[] = [];
  try {
    // Not timed: loads the model.
    await services.copy.generate({ productId: work.products[0].id, ...work.audience[0], channel: 'PUSH', tone: 'FRIENDLY', locale, variants: 1 });
    services.copy.invalidate([work.products[0].id]);
    let n = 0;
    for (const product of work.products)
      for (const audience of work.audience)
        for (const channel of CHANNELS) {
          const tones = ['FRIENDLY', 'PLAYFUL', 'URGENT', 'PREMIUM'] as const;
          const started = performance.now();
          const result = await services.copy.generate({ productId: product.id, segmentId: audience.segmentId, userId: audience.userId, channel, tone: tones[(n++ + seed) % tones.length], locale, variants: 1 });
          samples.push({ mode, channel, productTitle: product.title, audience: audience.label, result, ms: performance.now() - started });
          process.stderr.write(`\r${mode}: ${samples.length}/${work.products.length * work.audience.length * CHANNELS.length}`);
        }
    process.stderr.write('\n');
  } finally {
    await services.close();
  }
  const after = await failuresByCheck();
  return { samples, failures: new Map(CHECKS.map((c) => [c, (after.get(c) ?? 0) - (before.get(c) ?? 0)])) };
}

function modeRows(samples: Sample[]): Record<string, string | number>[] {
  const groups: [string, Sample[]][] = [...CHANNELS.map((c): [string, Sample[]] => [c, samples.filter((s) => s.channel === c)]), ['all', samples]];
  return groups.map(([channel, list]) => {
    const ms = list.map((s) => s.ms).sort((a, b) => a - b);
    const tokens = list.reduce((t, s) => t + s.result.tokens, 0);
    const genMs = list.reduce((t, s) => t + s.result.generationMs, 0);
    const modelPass = list.filter((s) => s.result.variants[0]?.source === 'MODEL' && s.result.variants[0].score === 1).length;
    return {
      mode: list[0]?.mode ?? '',
      channel,
      requests: list.length,
      'p50 ms': Math.round(percentile(ms, 50)),
      'p95 ms': Math.round(percentile(ms, 95)),
      'samples/req': list.reduce((t, s) => t + s.result.samples, 0) / Math.max(1, list.length),
      'tokens/s': genMs > 0 ? (tokens / genMs) * 1000 : 0,
      'model passes, no fallback': `${((100 * modelPass) / Math.max(1, list.length)).toFixed(1)}%`,
      'served passes all': `${((100 * list.filter((s) => s.result.variants[0]?.score === 1).length) / Math.max(1, list.length)).toFixed(1)}%`,
    };
  });
}

async function assistantRows(work: Awaited<ReturnType<typeof pickWork>>, locale: Locale) {
  const services = createServices(loadConfig(process.env));
  const rows: Record<string, string | number>[] = [];
  const examples: string[] = [];
  try {
    const ask = async (q: string) => {
      const started = performance.now();
      const a = await services.assistant.ask({ question: q, locale });
      const ms = performance.now() - started;
      const existing = new Set((await services.repositories.products.findByIds(a.citedProductIds)).map((p) => p.id));
      const onlyCandidates = a.citedProductIds.every((id) => a.candidateIds.includes(id) && existing.has(id));
      examples.push(`Q: ${q}\nA (${a.source}, ${Math.round(ms)} ms): ${a.answer}`);
      return { a, ms, onlyCandidates };
    };
    await ask(CATALOGUE_QUESTIONS[0]); // loads the model and the text encoder
    examples.length = 0;
    for (const [kind, questions] of [['catalogue', CATALOGUE_QUESTIONS], ['off-catalogue', OFF_CATALOGUE_QUESTIONS]] as const) {
      const results = [];
      for (const q of questions) results.push(await ask(q));
      const ms = results.map((r) => r.ms).sort((x, y) => x - y);
      rows.push({
        questions: kind,
        n: results.length,
        'p50 ms': Math.round(percentile(ms, 50)),
        'p95 ms': Math.round(percentile(ms, 95)),
        'cite only real candidates': `${((100 * results.filter((r) => r.onlyCandidates).length) / results.length).toFixed(0)}%`,
        answered: `${((100 * results.filter((r) => r.a.answered).length) / results.length).toFixed(0)}%`,
        'by model': `${((100 * results.filter((r) => r.a.source === 'MODEL').length) / results.length).toFixed(0)}%`,
      });
    }
  } finally {
    await services.close();
  }
  void work;
  return { rows, examples };
}

/** Why a mode cannot be measured with the configured model, or null. */
function skipReason(mode: string, locale: Locale, copy: Config['copy']): string | null {
  if (copy.model === 'none') return 'no model configured (COPY_MODEL=none)';
  // The shipped SmolLM2-135M writes English only: free-form Chinese would measure the template fallback.
  // Constrained Chinese picks every phrase among the phrase book's, so it runs with any model.
  if (locale === 'zh' && mode === 'free' && copy.model === 'embedded' && /smollm2/i.test(basename(copy.modelPath))) {
    return `${basename(copy.modelPath)} writes English only; set COPY_MODEL_PATH to a Chinese-capable GGUF (e.g. Qwen2.5 0.5B/1.5B Instruct) or COPY_ENDPOINT_URL`;
  }
  return null;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seed = arg(argv, '--seed', 7);
  const locale = textArg(argv, '--locale', 'en') as Locale;
  const modes = textArg(argv, '--modes', 'constrained,free').split(',');
  const print = arg(argv, '--print', 20);
  const setup = createServices(loadConfig({ ...process.env, COPY_MODEL: 'none' }));
  const work = await pickWork(setup, arg(argv, '--products', 10), arg(argv, '--audiences', 3), textArg(argv, '--product-prefix', 'ml-m'), seed).finally(() => setup.close());
  if (work.products.length === 0 || work.audience.length === 0) throw new Error('no products or audiences: seed the database (and run affinity segment) first');
  console.log(`copy bench: ${work.products.length} products x ${work.audience.length} audiences x ${CHANNELS.length} channels, locale ${locale}, model ${loadConfig().copy.modelPath}`);
  const all: Sample[] = [];
  const failureRows: Record<string, string | number>[] = [];
  for (const mode of modes) {
    const skipped = skipReason(mode, locale, loadConfig().copy);
    if (skipped) {
      printTable(`generateCopy, ${mode}`, [{ mode, locale, result: `skipped: ${skipped}` }]);
      continue;
    }
    const { samples, failures } = await runMode(mode, work, locale, seed);
    all.push(...samples);
    printTable(`generateCopy, ${mode}`, modeRows(samples));
    failureRows.push({ mode, ...Object.fromEntries(CHECKS.filter((c) => c !== 'CITATIONS').map((c) => [c, failures.get(c) ?? 0])) });
  }
  printTable('model samples failing each check (a sample may fail several)', failureRows);
  const assistant = await assistantRows(work, locale);
  printTable('assistant', assistant.rows);
  for (const e of assistant.examples) console.log(e);
  const constrained = all.filter((s) => s.mode === modes[0]);
  const picked = sampleIndices(constrained.length, Math.min(print, constrained.length), seed + 1)
    .map((i) => constrained[i])
    .sort((a, b) => CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel));
  console.log(`\n${picked.length} generated variants (${modes[0]}):`);
  for (const s of picked) {
    const v = s.result.variants[0];
    console.log(`- [${s.channel}, ${s.result.tone}, ${v.source}${v.score < 1 ? `, fails ${v.checks.filter((c) => !c.passed).map((c) => c.check).join('+')}` : ''}] ${s.productTitle} -> ${s.audience}: ${JSON.stringify(v.text)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
