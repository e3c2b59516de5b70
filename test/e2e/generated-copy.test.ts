/**
 * generateCopy and the assistant over HTTP against the real Neo4j, with the real embedded model
 * (SmolLM2-135M GGUF through node-llama-cpp): kept short, one variant of a push title.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';
import { makeSegmentWorld, segmentWorld, SegmentWorld } from '../support/segments';

const GENERATE = `mutation($input: GenerateCopyInput!) { generateCopy(input: $input) {
  productId audience mode promptVersion cached fallbackReason modelError samples tokens
  variants { text source model score meanLogProb factsUsed { kind value } checks { check passed detail } } } }`;
const ASSISTANT = `query($q: String!, $c: ID, $u: ID, $l: String! = "en") { assistant(question: $q, conversationId: $c, userId: $u, locale: $l) {
  conversationId answer citedProductIds candidateIds answered source model checks { check passed detail } } }`;

interface Variant {
  text: string;
  source: string;
  model: string | null;
  score: number;
  checks: { check: string; passed: boolean; detail: string | null }[];
  factsUsed: { kind: string; value: string }[];
}
interface CopyJson {
  productId: string;
  audience: string;
  mode: string;
  cached: boolean;
  fallbackReason: string | null;
  modelError: string | null;
  samples: number;
  tokens: number;
  variants: Variant[];
}
interface AnswerJson {
  conversationId: string;
  answer: string;
  citedProductIds: string[];
  candidateIds: string[];
  answered: boolean;
  source: string;
  model: string | null;
}

async function generate(server: RunningServer, key: string, input: Record<string, unknown>) {
  return gql<{ generateCopy: CopyJson }>(server.url, GENERATE, { input }, key);
}

describe('generated copy over HTTP, templates only (COPY_MODEL=none)', () => {
  let services: Services;
  let server: RunningServer;
  let world: SegmentWorld;
  let analyst: string;
  let partner: string;
  let segmentId: string;

  beforeAll(async () => {
    services = testServices({ COPY_MODEL: 'none' });
    server = await startTestServer(services);
    [analyst, partner] = await Promise.all([keyFor(services, 'analyst'), keyFor(services, 'partner', ns('partner'))]);
    world = await makeSegmentWorld(services, ns('copyseg'));
    await segmentWorld(services, world);
    segmentId = (await services.segments.list(world.versionId))[0].id;
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  it('writes template variants for a segment that pass every check, in English and Chinese', async () => {
    for (const locale of ['en', 'zh']) {
      const res = await generate(server, analyst, { productId: world.catalogue.productIds[0], segmentId, channel: 'SMS', tone: 'FRIENDLY', locale, variants: 3 });
      expect(res.errors).toBeUndefined();
      const copy = res.data!.generateCopy;
      expect(copy).toMatchObject({ mode: 'TEMPLATE', fallbackReason: 'NO_MODEL', audience: `SEGMENT:${segmentId}`, samples: 0 });
      expect(copy.variants).toHaveLength(3);
      expect(new Set(copy.variants.map((v) => v.text)).size).toBe(3);
      for (const v of copy.variants) {
        expect(v).toMatchObject({ source: 'TEMPLATE', model: null, score: 1 });
        expect(v.checks.map((c) => c.check).sort()).toEqual(['BANNED_CLAIM', 'LENGTH', 'LOCALE', 'NAMES_PRODUCT', 'PERSONAL_DATA', 'REPETITION', 'UNGROUNDED_NUMBER']);
        expect(v.factsUsed.some((f) => f.kind === 'TITLE')).toBe(true);
      }
    }
  });

  it('caches by request and drops the cache when the product changes', async () => {
    const productId = world.catalogue.productIds[2];
    const input = { productId, segmentId, channel: 'EMAIL_SUBJECT', tone: 'PREMIUM', locale: 'en', variants: 1 };
    const first = (await generate(server, analyst, input)).data!.generateCopy;
    const second = (await generate(server, analyst, input)).data!.generateCopy;
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.variants).toEqual(first.variants);
    await services.catalog.upsertProducts([{ id: productId, title: 'Renamed Lamp', price: 5, currency: 'EUR', inStock: true, categoryIds: [world.catalogue.categoryIds[1]] }]);
    const third = (await generate(server, analyst, input)).data!.generateCopy;
    expect(third.cached).toBe(false);
    expect(third.variants[0].text).toContain('Renamed Lamp');
  });

  it('refuses the internal input to a partner key, a request with both or neither audience, and an unknown product', async () => {
    const base = { productId: world.catalogue.productIds[0], channel: 'PUSH', tone: 'URGENT', locale: 'en', variants: 1 };
    // Partner keys have their own generateCopy (PartnerCopyInput, test/e2e/partner-copy.test.ts): this one does not validate there.
    const asPartner = await generate(server, partner, { ...base, segmentId });
    expect(asPartner.data).toBeFalsy();
    expect(asPartner.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await generate(server, analyst, base)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await generate(server, analyst, { ...base, segmentId, userId: world.groups[0][0] })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await generate(server, analyst, { ...base, segmentId, locale: 'fr' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await generate(server, analyst, { ...base, segmentId, productId: 'no-such-product' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('counts guardrail failures by check in /metrics', async () => {
    // A product whose every name is longer than a push title: the template's variant fails LENGTH.
    const productId = `${world.prefix}long`;
    await services.catalog.upsertProducts([{ id: productId, title: `A very long product name that cannot fit into any push title ${world.prefix}`, inStock: true, categoryIds: [] }]);
    const res = await generate(server, analyst, { productId, segmentId, channel: 'PUSH', tone: 'FRIENDLY', locale: 'en', variants: 1 });
    expect(res.data!.generateCopy.variants[0].checks.find((c) => c.check === 'LENGTH')?.passed).toBe(false);
    const metrics = await (await fetch(`${server.adminUrl.replace(/\/$/, '')}/metrics`)).text();
    expect(metrics).toMatch(/affinity_copy_guardrail_failures_total\{check="LENGTH",source="TEMPLATE"\} [1-9]/);
  });
});

describe('generated copy and the assistant over HTTP, with the embedded model', () => {
  let services: Services;
  let server: RunningServer;
  let frontend: string;
  let prefix: string;
  const catalogue = [
    ['espresso', 'Stainless espresso machine', 'Brews espresso and cappuccino coffee at home with a milk frother.', 'Kitchen'],
    ['shoes', 'Trail running shoes', 'Lightweight running shoes with grip for muddy mountain trails.', 'Sports'],
    ['mat', 'Cork yoga mat', 'A non-slip yoga mat made of natural cork for home workouts.', 'Sports'],
    ['kettle', 'Electric tea kettle', 'Boils water for tea quickly, with a keep-warm setting.', 'Kitchen'],
  ];

  beforeAll(async () => {
    services = testServices({ COPY_MAX_TOKENS: '24', COPY_SAMPLES_PER_VARIANT: '2', COPY_TIMEOUT_MS: '60000' });
    server = await startTestServer(services);
    frontend = await keyFor(services, 'frontend');
    prefix = ns('copylm');
    await services.catalog.upsertProducts(
      catalogue.map(([id, title, description, category]) => ({ id: `${prefix}${id}`, title, description, price: 49.5, currency: 'EUR', brand: 'Acme', inStock: true, categoryIds: [`${prefix}${category}`] })),
      catalogue.map(([, , , category]) => ({ id: `${prefix}${category}`, name: category })),
    );
    await services.catalog.upsertUsers([{ id: `${prefix}u1` }]);
    await services.interactions.record([{ eventId: `${prefix}e1`, userId: `${prefix}u1`, productId: `${prefix}kettle`, type: 'VIEW', at: Date.now() - 1000 }], Date.now());
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  it('generates a push title with the real local model for a user', async () => {
    const res = await generate(server, frontend, { productId: `${prefix}espresso`, userId: `${prefix}u1`, channel: 'PUSH', tone: 'FRIENDLY', locale: 'en', variants: 1 });
    expect(res.errors).toBeUndefined();
    const copy = res.data!.generateCopy;
    expect(copy.modelError).toBeNull();
    expect(copy.mode).toBe('CONSTRAINED');
    // The model really ran: samples drawn and tokens generated, through node-llama-cpp.
    expect(copy.samples).toBeGreaterThanOrEqual(1);
    expect(copy.tokens).toBeGreaterThan(0);
    const [variant] = copy.variants;
    expect(variant.score).toBe(1);
    expect(variant.checks.find((c) => c.check === 'NAMES_PRODUCT')?.passed).toBe(true);
    expect(variant.text).toMatch(/espresso machine|Acme/);
    if (variant.source === 'MODEL') expect(variant.model).toBe('SmolLM2-135M-Instruct.Q4_1.gguf');
    expect(variant.text).not.toContain(`${prefix}u1`);
    const metrics = await (await fetch(`${server.adminUrl.replace(/\/$/, '')}/metrics`)).text();
    expect(metrics).toMatch(/affinity_copy_generation_seconds_count\{kind="constrained"\} [1-9]/);
  });

  it('answers from the catalogue citing only candidates, and remembers the conversation', async () => {
    const res = await gql<{ assistant: AnswerJson }>(server.url, ASSISTANT, { q: 'I want to make cappuccino coffee at home', u: `${prefix}u1` }, frontend);
    expect(res.errors).toBeUndefined();
    const answer = res.data!.assistant;
    expect(answer.answered).toBe(true);
    expect(answer.candidateIds).toContain(`${prefix}espresso`);
    expect(answer.citedProductIds.length).toBeGreaterThan(0);
    for (const id of answer.citedProductIds) expect(answer.candidateIds).toContain(id);
    for (const id of answer.citedProductIds) expect(answer.answer).toContain(`[${id}]`);
    const next = await gql<{ assistant: AnswerJson }>(server.url, ASSISTANT, { q: 'and something for tea?', c: answer.conversationId }, frontend);
    expect(next.data!.assistant.conversationId).toBe(answer.conversationId);
    expect(next.data!.assistant.candidateIds.length).toBeGreaterThan(0);
  });

  it("says it doesn't know when the catalogue has no answer", async () => {
    for (const [q, locale] of [
      ['What is the boiling point of liquid nitrogen in kelvin?', 'en'],
      ['Who won the football world cup in 1966?', 'en'],
      ['明天北京的天气怎么样？', 'zh'],
    ]) {
      const res = await gql<{ assistant: AnswerJson }>(server.url, ASSISTANT, { q, l: locale }, frontend);
      expect(res.errors).toBeUndefined();
      expect(res.data!.assistant).toMatchObject({ answered: false, citedProductIds: [], candidateIds: [] });
      expect(res.data!.assistant.answer).toMatch(/don't know|不知道/);
    }
  });
});

describe('generated copy falls back to templates when the model fails or times out', () => {
  it('reports a model that does not load and serves template variants', async () => {
    const services = testServices({ COPY_MODEL_PATH: '/nonexistent/model.gguf' });
    try {
      const prefix = ns('copyfail');
      await services.catalog.upsertProducts([{ id: `${prefix}p`, title: 'Desk lamp', brand: 'Lumo', inStock: true, categoryIds: [] }]);
      await services.catalog.upsertUsers([{ id: `${prefix}u` }]);
      const result = await services.copy.generate({ productId: `${prefix}p`, userId: `${prefix}u`, channel: 'SOCIAL', tone: 'PLAYFUL', locale: 'en', variants: 2 });
      expect(result.fallbackReason).toBe('MODEL_ERROR');
      expect(result.modelError).toContain('/nonexistent/model.gguf');
      expect(result.variants.map((v) => v.source)).toEqual(['TEMPLATE', 'TEMPLATE']);
      // Not cached: the next request tries the model again.
      expect((await services.copy.generate({ productId: `${prefix}p`, userId: `${prefix}u`, channel: 'SOCIAL', tone: 'PLAYFUL', locale: 'en', variants: 2 })).cached).toBe(false);

      const timeouts = testServices({ COPY_TIMEOUT_MS: '100' });
      try {
        const late = await timeouts.copy.generate({ productId: `${prefix}p`, userId: `${prefix}u`, channel: 'EMAIL_BODY', tone: 'PLAYFUL', locale: 'en', variants: 1 });
        expect(late.fallbackReason).toBe('TIMEOUT');
        expect(late.variants[0]).toMatchObject({ source: 'TEMPLATE', score: 1 });
      } finally {
        await timeouts.close();
      }
    } finally {
      await services.close();
    }
  });
});

describe('a burst of copy requests beyond the model queue', () => {
  it('gets SERVICE_UNAVAILABLE for what does not fit, never an unbounded queue', async () => {
    const services = testServices({ COPY_QUEUE_MAX: '0', COPY_MAX_TOKENS: '16', COPY_SAMPLES_PER_VARIANT: '1' });
    const server = await startTestServer(services);
    try {
      const prefix = ns('copyburst');
      const key = await keyFor(services, 'frontend');
      await services.catalog.upsertProducts([0, 1, 2].map((i) => ({ id: `${prefix}p${i}`, title: `Garden chair ${i}`, brand: 'Sunny', inStock: true, categoryIds: [] })));
      await services.catalog.upsertUsers([{ id: `${prefix}u` }]);
      const burst = await Promise.all(
        [0, 1, 2].map((i) => generate(server, key, { productId: `${prefix}p${i}`, userId: `${prefix}u`, channel: 'PUSH', tone: 'FRIENDLY', locale: 'en', variants: 1 })),
      );
      const codes = burst.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
      expect(codes.filter((c) => c === 'OK').length).toBeGreaterThanOrEqual(1);
      expect(codes.filter((c) => c === 'SERVICE_UNAVAILABLE').length).toBeGreaterThanOrEqual(1);
      expect(codes.every((c) => c === 'OK' || c === 'SERVICE_UNAVAILABLE')).toBe(true);
    } finally {
      await server.close();
      await services.close();
    }
  });
});
