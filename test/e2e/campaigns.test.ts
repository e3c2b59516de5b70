/**
 * Campaigns with a holdout over HTTP against the real Neo4j: members split once and stored,
 * treatment listed for delivery in keyset pages with its copy, holdout never listed, and the report's
 * incremental lift of treatment over holdout.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { bucketOf, pickByWeight } from '../../src/services/experiments/assignment';
import { makeCatalogue } from '../support/fixtures';
import { gql, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id members holdout holdoutShare copyVariants productIds } }`;
const AUDIENCE = `query($id: ID!, $first: Int, $after: String) { campaignAudience(campaignId: $id, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { user { id } copy copyIndex productIds } } } }`;
const REPORT = `query($id: ID!) { campaignReport(id: $id) { campaign { id members }
  groups { name users conversions revenue conversionRate { estimate low high } revenuePerMember { estimate }
           versusControl { conversionLift { estimate low high pValue } revenueLift { estimate } cupedConversionLift { estimate } varianceReduction sequentialPValue } }
  sampleRatio { chiSquare pValue mismatch } } }`;

interface AudiencePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { user: { id: string }; copy: string; copyIndex: number; productIds: string[] | null } }[];
}

describe('campaigns over HTTP', () => {
  let services: Services;
  let server: RunningServer;
  let admin: string;
  let analyst: string;
  let frontend: string;
  let prefix: string;
  let products: string[];
  const users: string[] = [];

  beforeAll(async () => {
    services = testServices();
    prefix = ns('cmp');
    products = (await makeCatalogue(services, prefix, 6)).productIds;
    for (let i = 0; i < 60; i++) users.push(`${prefix}u${String(i).padStart(2, '0')}`);
    const old = Date.now() - 3 * 86_400_000;
    await services.interactions.record(users.map((userId, i) => ({ eventId: `${prefix}seed${i}`, userId, productId: products[i % 6], type: 'VIEW' as const, at: old })));
    await services.db.writeOne(
      { name: 'test.segment', cypher: `CREATE (s:Segment {id: $id, label: 'test', size: size($users), current: true}) WITH s UNWIND $users AS id MATCH (u:User {id: id}) CREATE (u)-[:IN_SEGMENT]->(s)` },
      { id: `${prefix}seg`, users },
    );
    server = await startTestServer(services);
    [admin, analyst, frontend] = await Promise.all([keyFor(services, 'admin'), keyFor(services, 'analyst'), keyFor(services, 'frontend')]);
  }, 120000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  it('assigns members once, lists only treatment with its copy in keyset pages, and reports the lift over holdout', async () => {
    const input = {
      name: 'spring push',
      segmentIds: [`${prefix}seg`],
      productIds: [products[0]],
      channel: 'PUSH',
      copyVariants: ['Spring is here', 'New for spring'],
      holdoutShare: 0.3,
      start: new Date(Date.now() - 1000).toISOString(),
      end: new Date(Date.now() + 3600_000).toISOString(),
    };
    expect((await gql(server.url, CREATE, { input }, frontend)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await gql(server.url, CREATE, { input: { ...input, holdoutShare: 1.5 } }, admin)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const created = await gql<{ createCampaign: { id: string; members: number; holdout: number } }>(server.url, CREATE, { input }, admin);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.id;
    const holdout = users.filter((u) => bucketOf(id, u) < 0.3);
    const treatment = users.filter((u) => bucketOf(id, u) >= 0.3);
    expect(created.data!.createCampaign.members).toBe(60);
    expect(created.data!.createCampaign.holdout).toBe(holdout.length);

    const listed: AudiencePage['edges'] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: { data?: { campaignAudience: AudiencePage }; errors?: unknown } = await gql<{ campaignAudience: AudiencePage }>(server.url, AUDIENCE, { id, first: 7, after }, admin);
      expect(res.errors).toBeUndefined();
      const page: AudiencePage = res.data!.campaignAudience;
      expect(page.totalCount).toBe(treatment.length);
      listed.push(...page.edges);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 20);
    expect(listed.map((e) => e.node.user.id)).toEqual([...treatment].sort());
    for (const { node } of listed) {
      const copyIndex = pickByWeight([1, 1], bucketOf(`${id}/copy`, node.user.id));
      expect(node.copyIndex).toBe(copyIndex);
      expect(node.copy).toBe(input.copyVariants[copyIndex]);
      expect(node.productIds).toEqual([products[0]]);
    }
    expect((await gql(server.url, AUDIENCE, { id, first: 7 }, frontend)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // 6 of the treatment members buy, 1 of the holdout.
    const buyers = [...treatment.slice(0, 6), holdout[0]];
    const recorded = await services.interactions.record(buyers.map((userId, i) => ({ eventId: `${prefix}buy${i}`, userId, productId: products[0], type: 'PURCHASE' as const, at: Date.now() })));
    expect(recorded.accepted).toBe(buyers.length);

    const res = await gql<{ campaignReport: { groups: { name: string; users: number; conversions: number; revenue: number; versusControl: { conversionLift: { estimate: number; low: number; high: number } | null } | null }[]; sampleRatio: { mismatch: boolean } } }>(
      server.url,
      REPORT,
      { id },
      analyst,
    );
    expect(res.errors).toBeUndefined();
    const [hold, treat] = res.data!.campaignReport.groups;
    expect([hold.name, hold.users, hold.conversions]).toEqual(['HOLDOUT', holdout.length, 1]);
    expect([treat.name, treat.users, treat.conversions]).toEqual(['TREATMENT', treatment.length, 6]);
    expect(treat.revenue).toBeCloseTo(6 * 10, 6);
    const lift = treat.versusControl!.conversionLift!;
    expect(lift.estimate).toBeCloseTo(6 / treatment.length / (1 / holdout.length) - 1, 9);
    expect(lift.low).toBeLessThan(lift.estimate);
    expect(res.data!.campaignReport.sampleRatio.mismatch).toBe(false);
    expect((await gql(server.url, REPORT, { id }, frontend)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
