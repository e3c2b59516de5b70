/**
 * Partners over HTTP: registration and member links (admin), partnerRecommendations within the
 * program for shared members only, the same error for unknown and unshared memberRefs, revocation
 * at once, and the partner schema a partner key is served.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { PartnerWorld, partnerWithMembers, partnerWorld, programTerms } from '../support/partners';
import { ns, testServices } from '../support/runtime';

interface MemberRecs {
  memberRef: string;
  error: { code: string; message: string } | null;
  items: { score: number; trackingUrl: string; product: { id: string; title: string; price: number | null } }[];
}

const PARTNER_RECS = `query($refs: [ID!]!, $first: Int, $filter: PartnerRecommendationFilterInput) {
  partnerRecommendations(memberRefs: $refs, first: $first, filter: $filter) {
    memberRef error { code message } items { score trackingUrl product { id title price } }
  }
}`;

describe('affiliate partners: programs, members and partnerRecommendations', () => {
  let services: Services;
  let server: RunningServer;
  let admin: string;
  let world: PartnerWorld;
  let partnerA: string;
  let partnerB: string;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    services = testServices();
    server = await startTestServer(services);
    admin = await keyFor(services, 'admin');
    world = await partnerWorld(services, ns('pr'));
    partnerA = `${world.prefix}A`;
    partnerB = `${world.prefix}B`;
    const [, catA] = world.catalogue.categoryIds;
    keyA = await partnerWithMembers(services, partnerA, world.userIds.slice(0, 3), programTerms({ allowCategoryIds: [catA], denyProductIds: [world.catalogue.productIds[2]] }));
    // B shares users 2..5 under its own refs: user 2 is a member of both.
    keyB = await partnerWithMembers(services, partnerB, world.userIds.slice(2), programTerms(), 'b-');
  });

  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  async function recs(key: string, refs: string[], extra: Record<string, unknown> = {}): Promise<MemberRecs[]> {
    const res = await gql<{ partnerRecommendations: MemberRecs[] }>(server.url, PARTNER_RECS, { refs, ...extra }, key);
    expect(res.errors).toBeUndefined();
    return res.data?.partnerRecommendations ?? [];
  }

  describe('registerPartner and linkMembers (admin)', () => {
    it('registers a partner with a working partner key and version 1 of its program', async () => {
      const id = `${world.prefix}reg`;
      const res = await gql<{ registerPartner: { partnerId: string; apiKey: string; program: { version: number; attribution: string; attributionWindowDays: number } } }>(
        server.url,
        `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partnerId apiKey program { version attribution attributionWindowDays } } }`,
        { input: { partnerId: id, name: 'Reg', program: { defaultRate: 0.1, landingUrlTemplate: 'https://shop.example/{productId}' } } },
        admin,
      );
      expect(res.data?.registerPartner).toMatchObject({ partnerId: id, program: { version: 1, attribution: 'LAST_CLICK', attributionWindowDays: 30 } });
      const own = await gql<{ partnerId: string; myProgram: { version: number } }>(server.url, '{ partnerId myProgram { version } }', {}, res.data?.registerPartner.apiKey);
      expect(own.data).toEqual({ partnerId: id, myProgram: { version: 1 } });
      const again = await gql(server.url, `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partnerId } }`, {
        input: { partnerId: id, name: 'Reg', program: { defaultRate: 0.1, landingUrlTemplate: 'https://shop.example/{productId}' } },
      }, admin);
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('versions the program: updateProgram makes version 2 in force', async () => {
      const res = await gql<{ updateProgram: { version: number; defaultRate: number } }>(
        server.url,
        `mutation($id: ID!, $p: ProgramTermsInput!) { updateProgram(partnerId: $id, program: $p) { version defaultRate } }`,
        { id: partnerB, p: { defaultRate: 0.07, landingUrlTemplate: 'https://shop.example/p/{productId}' } },
        admin,
      );
      expect(res.data?.updateProgram).toEqual({ version: 2, defaultRate: 0.07 });
    });

    it('links members, rejecting unknown users, taken refs and repeats, each with a reason', async () => {
      const res = await gql<{ linkMembers: { memberRef: string; status: string; reason: string | null }[] }>(
        server.url,
        `mutation($id: ID!, $links: [MemberLinkInput!]!) { linkMembers(partnerId: $id, links: $links) { memberRef status reason } }`,
        {
          id: partnerA,
          links: [
            { userId: world.userIds[3], memberRef: 'new-3', consentAt: new Date().toISOString() },
            { userId: `${world.prefix}nobody`, memberRef: 'ghost', consentAt: new Date().toISOString() },
            { userId: world.userIds[4], memberRef: 'ref-0', consentAt: new Date().toISOString() },
          ],
        },
        admin,
      );
      expect(res.data?.linkMembers).toEqual([
        { memberRef: 'new-3', status: 'LINKED', reason: null },
        { memberRef: 'ghost', status: 'REJECTED', reason: 'unknown user' },
        { memberRef: 'ref-0', status: 'REJECTED', reason: 'the memberRef already names another member' },
      ]);
    });

    it('refuses more than 1000 links per call and non-admin keys', async () => {
      const links = Array.from({ length: 1001 }, (_, i) => ({ userId: world.userIds[0], memberRef: `m${i}`, consentAt: new Date().toISOString() }));
      const res = await gql(server.url, `mutation($id: ID!, $links: [MemberLinkInput!]!) { linkMembers(partnerId: $id, links: $links) { status } }`, { id: partnerA, links }, admin);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const frontend = await keyFor(services, 'frontend');
      const refused = await gql(server.url, `mutation { unlinkMembers(partnerId: "${partnerA}", memberRefs: ["ref-0"]) }`, {}, frontend);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('partnerRecommendations', () => {
    it('recommends within the program: allowed category, in stock, not denied, with tracking links', async () => {
      const [member] = await recs(keyA, ['ref-0'], { first: 5 });
      expect(member.error).toBeNull();
      expect(member.items.length).toBeGreaterThan(0);
      const catA = new Set(world.catalogue.productIds.filter((_, i) => i % 2 === 0 && i % 5 !== 0 && i !== 2));
      for (const item of member.items) {
        expect(catA.has(item.product.id)).toBe(true);
        expect(item.trackingUrl).toMatch(/^http:\/\/localhost:\d+\/r\/[A-Za-z0-9_-]+$/);
      }
    });

    it('gives unknown refs, other partners\' refs and raw user ids the same error', async () => {
      const answers = await recs(keyA, ['ref-0', 'no-such-ref', 'b-0', world.userIds[0], 'ref-1']);
      expect(answers.map((a) => a.memberRef)).toEqual(['ref-0', 'no-such-ref', 'b-0', world.userIds[0], 'ref-1']);
      const errors = answers.slice(1, 4).map((a) => ({ error: a.error, items: a.items }));
      expect(errors[0].error?.code).toBe('UNKNOWN_MEMBER');
      expect(new Set(errors.map((e) => JSON.stringify(e))).size).toBe(1);
      expect(answers[4].error).toBeNull();
    });

    it('stops serving a member the moment it is unlinked', async () => {
      const before = await recs(keyB, ['b-3']);
      expect(before[0].error).toBeNull();
      const res = await gql<{ unlinkMembers: number }>(server.url, `mutation { unlinkMembers(partnerId: "${partnerB}", memberRefs: ["b-3"]) }`, {}, admin);
      expect(res.data?.unlinkMembers).toBe(1);
      const after = await recs(keyB, ['b-3']);
      expect(after[0]).toEqual({ memberRef: 'b-3', error: { code: 'UNKNOWN_MEMBER', message: expect.any(String) }, items: [] });
    });

    it('refuses more memberRefs than PARTNER_MAX_MEMBER_REFS', async () => {
      const res = await gql(server.url, PARTNER_RECS, { refs: Array.from({ length: 51 }, (_, i) => `r${i}`) }, keyA);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('never shows a partner an internal user id', async () => {
      const res = await gql(server.url, PARTNER_RECS, { refs: ['ref-0', 'ref-1', 'ref-2', 'nope'] }, keyA);
      const text = JSON.stringify(res);
      for (const userId of world.userIds) expect(text).not.toContain(userId);
    });
  });

  describe('the partner schema', () => {
    it('shows partner keys partner operations and types only', async () => {
      const res = await gql<{ __schema: { types: { name: string }[]; queryType: { fields: { name: string }[] }; mutationType: null | { fields: { name: string }[] } } }>(
        server.url,
        '{ __schema { types { name } queryType { fields { name } } mutationType { fields { name } } } }',
        {},
        keyA,
      );
      const fields = res.data?.__schema.queryType.fields.map((f) => f.name).sort();
      expect(fields).toEqual(['myProgram', 'partnerId', 'partnerRecommendations', 'partnerReport']);
      expect(res.data?.__schema.mutationType?.fields.map((f) => f.name)).toEqual(['generateCopy']);
      const types = new Set(res.data?.__schema.types.map((t) => t.name));
      for (const internal of ['User', 'Product', 'Interaction', 'Segment', 'RegisteredPartner']) expect(types.has(internal)).toBe(false);
    });

    it('refuses internal operations to partner keys and partner operations to other keys', async () => {
      const internal = await gql(server.url, '{ users(ids: ["x"]) { id } }', {}, keyA);
      expect(internal.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const aliasBatch = await gql(server.url, '{ a: partnerId b: user(id: "x") { id } }', {}, keyA);
      expect(aliasBatch.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(aliasBatch.data).toBeNull();
      for (const role of ['frontend', 'analyst', 'admin'] as const) {
        const res = await gql(server.url, PARTNER_RECS, { refs: ['ref-0'] }, await keyFor(services, role));
        expect(res.data).toBeUndefined();
        expect(res.errors?.map((e) => e.message).join(' ')).toContain('partnerRecommendations');
      }
    });
  });
});
