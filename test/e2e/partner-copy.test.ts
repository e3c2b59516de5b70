/**
 * generateCopy with a partner key over HTTP (template engine, COPY_MODEL=none): products of the
 * program only, every other product with the same NOT_FOUND as an unknown one; the tracking link in
 * the text where the channel carries one, and a click on it recorded and redirected; another
 * partner's memberRef gets UNKNOWN_MEMBER.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, startTestServer } from '../support/http';
import { PartnerWorld, partnerWithMembers, partnerWorld, programTerms } from '../support/partners';
import { ns, testServices } from '../support/runtime';

const GENERATE = `mutation($input: PartnerCopyInput!) { generateCopy(input: $input) {
  memberRef productId mode fallbackReason error { code message }
  variants { text link source score model factsUsed { kind value } checks { check passed detail } } } }`;

interface CopyJson {
  memberRef: string;
  productId: string;
  mode: string;
  error: { code: string } | null;
  variants: { text: string; link: string; source: string; score: number; checks: { check: string; passed: boolean; detail: string | null }[] }[];
}

describe('generateCopy for partners (HTTP, templates)', () => {
  let services: Services;
  let server: RunningServer;
  let world: PartnerWorld;
  let partnerId: string;
  let key: string;
  let p: (i: number) => string;

  beforeAll(async () => {
    services = testServices({ COPY_MODEL: 'none', CLICK_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'pcopy-')) });
    server = await startTestServer(services);
    world = await partnerWorld(services, ns('pcopy'), 4);
    p = (i) => world.catalogue.productIds[i];
    partnerId = `${world.prefix}A`;
    // Category A holds the even products; p000, p010 are out of stock; p002 is denied.
    key = await partnerWithMembers(services, partnerId, world.userIds.slice(0, 2), programTerms({ allowCategoryIds: [world.catalogue.categoryIds[1]], denyProductIds: [p(2)] }), 'a-');
    await partnerWithMembers(services, `${world.prefix}B`, world.userIds.slice(2), programTerms(), 'b-');
  });
  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  const generate = (input: Record<string, unknown>) => gql<{ generateCopy: CopyJson }>(server.url, GENERATE, { input: { tone: 'FRIENDLY', locale: 'en', variants: 2, ...input } }, key);

  it('writes variants for an allowed product with a tracking link that records a click and redirects', async () => {
    const res = await generate({ productId: p(4), memberRef: 'a-0', channel: 'EMAIL_BODY' });
    expect(res.errors).toBeUndefined();
    const copy = res.data!.generateCopy;
    expect(copy).toMatchObject({ memberRef: 'a-0', productId: p(4), mode: 'TEMPLATE', error: null });
    expect(copy.variants).toHaveLength(2);
    for (const v of copy.variants) {
      expect(v.link).toMatch(/\/r\/[A-Za-z0-9_-]{40,}$/);
      expect(v.text.endsWith(` ${v.link}`)).toBe(true);
      expect(v.score).toBe(1);
    }
    const url = copy.variants[0].link.replace(/^http:\/\/localhost:\d+/, `http://127.0.0.1:${server.port}`);
    const click = await fetch(url, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe(`https://shop.example/p/${p(4)}`);
    await services.clicks.drain();
    const rows = await services.db.readOne<{ partnerId: string; recommendationId: string }>(
      { name: 'test.copyClicks', cypher: `MATCH (:User {id: $userId})-[r:INTERACTED {type: 'CLICK'}]->(:Product {id: $productId}) RETURN r.partnerId AS partnerId, r.recommendationId AS recommendationId` },
      { userId: world.userIds[0], productId: p(4) },
    );
    expect(rows).toEqual([{ partnerId, recommendationId: expect.stringMatching(/^copy_/) }]);
  });

  it('puts no link in a push title or an email subject, and gives it beside the text', async () => {
    for (const channel of ['PUSH', 'EMAIL_SUBJECT']) {
      const copy = (await generate({ productId: p(4), memberRef: 'a-1', channel })).data!.generateCopy;
      expect(copy.variants.length).toBeGreaterThan(0);
      for (const v of copy.variants) {
        expect(v.text).not.toContain('/r/');
        expect(v.link).toContain('/r/');
        expect(v.checks.every((c) => c.passed)).toBe(true);
      }
    }
  });

  it('counts the link against the length limit, never as an ungrounded number', async () => {
    const copy = (await generate({ productId: p(4), memberRef: 'a-0', channel: 'SOCIAL' })).data!.generateCopy;
    for (const v of copy.variants) {
      expect(v.checks.find((c) => c.check === 'UNGROUNDED_NUMBER')?.passed).toBe(true);
      expect([...v.text].length).toBeLessThanOrEqual(280);
    }
    // A single SMS cannot hold text and a full tracking link: the length check says so, counting the link.
    const sms = (await generate({ productId: p(4), memberRef: 'a-0', channel: 'SMS', variants: 1 })).data!.generateCopy;
    const length = sms.variants[0].checks.find((c) => c.check === 'LENGTH');
    expect(length?.passed || length?.detail?.includes('(link)')).toBe(true);
  });

  it('answers denied, out-of-category, out-of-stock and unknown products with the same error', async () => {
    const messages = [];
    for (const productId of [p(2), p(1), p(10), `${world.prefix}nope`]) {
      const res = await generate({ productId, memberRef: 'a-0', channel: 'PUSH' });
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      messages.push(res.errors?.[0].message.replace(productId, 'ID'));
    }
    expect(new Set(messages).size).toBe(1);
  });

  it('validates its input as generateCopy does (the fields both inputs share), and its own memberRef', async () => {
    const base = { productId: p(4), memberRef: 'a-0', channel: 'PUSH' };
    for (const input of [{ ...base, locale: 'fr' }, { ...base, variants: 0 }, { ...base, productId: 'x'.repeat(201) }, { ...base, memberRef: 'x'.repeat(201) }]) {
      const res = await generate(input);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it("gives UNKNOWN_MEMBER for another partner's memberRef and for one never issued", async () => {
    for (const memberRef of ['b-0', 'never-issued', world.userIds[0]]) {
      const copy = (await generate({ productId: p(4), memberRef, channel: 'PUSH' })).data!.generateCopy;
      expect(copy).toMatchObject({ memberRef, error: { code: 'UNKNOWN_MEMBER' }, variants: [] });
    }
  });
});
