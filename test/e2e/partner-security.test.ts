/**
 * Adversarial tests of partner isolation: partner A against B's members and figures through every
 * operation, alias and batch; memberRef enumeration; the partner schema's surface (no argument that
 * names another partner or a user, no internal type); and a scan of every string a partner key
 * received in this suite for internal ids.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, GraphQLResponse, keyFor, startTestServer } from '../support/http';
import { PartnerWorld, partnerWithMembers, partnerWorld, programTerms } from '../support/partners';
import { ns, testServices } from '../support/runtime';

const COPY = `mutation($input: PartnerCopyInput!) { generateCopy(input: $input) {
  memberRef productId mode fallbackReason error { code message } variants { text link source score model factsUsed { kind value } checks { check passed detail } } } }`;
const RECS = `query($refs: [ID!]!) { partnerRecommendations(memberRefs: $refs, first: 3) { memberRef error { code message } items { score trackingUrl product { id title description price currency brand } } } }`;

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('partner isolation (adversarial)', () => {
  let services: Services;
  let server: RunningServer;
  let world: PartnerWorld;
  let keyA: string;
  let keyB: string;
  const seenByPartners: unknown[] = [];

  beforeAll(async () => {
    services = testServices({ CLICK_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'sec-')), PRIVACY_EPSILON_PER_QUERY: '0', COPY_MODEL: 'none' });
    server = await startTestServer(services);
    world = await partnerWorld(services, ns('sec'), 6);
    keyA = await partnerWithMembers(services, `${world.prefix}A`, world.userIds.slice(0, 3), programTerms(), 'a-');
    keyB = await partnerWithMembers(services, `${world.prefix}B`, world.userIds.slice(3), programTerms(), 'b-');
  });

  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  async function asPartner<T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    const res = await gql<T>(server.url, query, variables, key);
    seenByPartners.push(res);
    return res;
  }

  it("gives A nothing of B's members, also through aliases in one request", async () => {
    const res = await asPartner<Record<string, { memberRef: string; error: { code: string } | null; items: unknown[] }[]>>(
      keyA,
      `{ mine: partnerRecommendations(memberRefs: ["a-0"]) { memberRef error { code } items { score } }
         theirs: partnerRecommendations(memberRefs: ["b-0", "b-1"]) { memberRef error { code } items { score } } }`,
    );
    expect(res.data?.mine[0].error).toBeNull();
    expect(res.data?.theirs.map((t) => [t.error?.code, t.items.length])).toEqual([
      ['UNKNOWN_MEMBER', 0],
      ['UNKNOWN_MEMBER', 0],
    ]);
  });

  it('refuses batched HTTP requests (an array of operations)', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keyA}` },
      body: JSON.stringify([{ query: '{ partnerId }' }, { query: RECS, variables: { refs: ['b-0'] } }]),
    });
    const body = await response.text();
    seenByPartners.push(body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(body).not.toContain('partnerRecommendations":[');
  });

  it('answers an unknown ref and another partner\'s ref alike, with the same Neo4j round trips', async () => {
    // Not kept for the id scan below: the probe with a user id gets its own memberRef echoed back.
    const trips = async (ref: string) => {
      const before = services.db.roundTrips;
      const res = await gql<{ partnerRecommendations: unknown[] }>(server.url, RECS, { refs: [ref] }, keyA);
      return { trips: services.db.roundTrips - before, answer: JSON.stringify(res.data?.partnerRecommendations).replace(ref, 'REF') };
    };
    await trips('warm-up');
    const unknown = await trips('never-issued');
    const others = await trips('b-2');
    const userId = await trips(world.userIds[4]);
    expect(others).toEqual(unknown);
    expect(userId).toEqual(unknown);
  });

  it('has no partner-schema argument that could name another partner, a user or an order', async () => {
    const res = await asPartner<{ __schema: { types: { name: string; fields: { name: string; args: { name: string }[] }[] | null }[] } }>(
      keyA,
      '{ __schema { types { name fields { name args { name } } } } }',
    );
    const args = (res.data?.__schema.types ?? []).flatMap((t) => (t.fields ?? []).flatMap((f) => f.args.map((a) => a.name)));
    for (const forbidden of ['partnerId', 'partnerIds', 'userId', 'userIds', 'orderId', 'id']) expect(args).not.toContain(forbidden);
    const internal = await asPartner<{ __type: unknown }>(keyA, '{ __type(name: "User") { name } }');
    expect(internal.data?.__type).toBeNull();
  });

  it("hides partner operations from other roles' schema", async () => {
    const frontend = await keyFor(services, 'frontend');
    const res = await gql<{ __schema: { queryType: { fields: { name: string }[] } } }>(server.url, '{ __schema { queryType { fields { name } } } }', {}, frontend);
    const fields = res.data?.__schema.queryType.fields.map((f) => f.name) ?? [];
    expect(fields).toContain('user');
    expect(fields).not.toContain('partnerRecommendations');
    expect(fields).not.toContain('partnerReport');
  });

  it("keeps B's report to B", async () => {
    const query = `{ partnerReport(from: "${new Date(Date.now() - 86_400_000).toISOString()}", to: "${new Date().toISOString()}") { rows { key clicks } } }`;
    const a = await asPartner<{ partnerReport: { rows: unknown[] } }>(keyA, query);
    const b = await asPartner<{ partnerReport: { rows: unknown[] } }>(keyB, query);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
  });

  it("writes copy only for A's own members, with links that name no user", async () => {
    const input = (memberRef: string, channel: string) => ({ input: { productId: world.catalogue.productIds[4], memberRef, channel, variants: 2 } });
    const mine = await asPartner<{ generateCopy: { error: unknown; variants: { text: string; link: string }[] } }>(keyA, COPY, input('a-0', 'SMS'));
    expect(mine.data?.generateCopy.error).toBeNull();
    expect(mine.data?.generateCopy.variants.length).toBe(2);
    const theirs = await asPartner<{ generateCopy: { error: { code: string } | null; variants: unknown[] } }>(keyA, COPY, input('b-0', 'EMAIL_BODY'));
    expect(theirs.data?.generateCopy).toMatchObject({ error: { code: 'UNKNOWN_MEMBER' }, variants: [] });
    // Not kept for the id scan: a user id given as memberRef is echoed back as the memberRef.
    const byUserId = await gql<{ generateCopy: unknown }>(server.url, COPY, input(world.userIds[4], 'EMAIL_BODY'), keyA);
    expect(byUserId.data?.generateCopy).toMatchObject({ error: { code: 'UNKNOWN_MEMBER' }, variants: [] });
  });

  it('never shows a partner an internal id in any field of any response in this suite', async () => {
    for (const key of [keyA, keyB]) {
      await asPartner(key, RECS, { refs: ['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2', 'zzz'] });
      await asPartner(key, '{ partnerId myProgram { version landingUrlTemplate } }');
      for (const [memberRef, channel] of [['a-1', 'EMAIL_BODY'], ['b-1', 'SOCIAL'], ['a-2', 'PUSH']]) {
        await asPartner(key, COPY, { input: { productId: world.catalogue.productIds[6], memberRef, channel, variants: 1 } });
      }
    }
    const all = seenByPartners.flatMap(strings);
    expect(all.length).toBeGreaterThan(50);
    for (const s of all) {
      for (const userId of world.userIds) expect(s).not.toContain(userId);
      expect(s).not.toMatch(/rec_[A-Za-z0-9_-]+\./); // the internal recommendationId (it names the user)
      // Tracking tokens are opaque: their bytes name no user either.
      const token = /\/r\/([A-Za-z0-9_-]+)$/.exec(s)?.[1];
      if (token) for (const userId of world.userIds) expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain(userId);
    }
  });
});
