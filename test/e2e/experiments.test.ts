/**
 * Experiments over HTTP against the real Neo4j: an admin creates one for a segment, enrolled users
 * are served by their sticky variant with the experiment in the connection and the recommendationId,
 * events citing it count for the variant in the analyst's report, a guardrail stops a failing
 * variant (its users fall back to control), and concluding is recorded with its reason.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { bucketOf, pickByWeight } from '../../src/services/experiments/assignment';
import { makeCatalogue } from '../support/fixtures';
import { gql, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

const RECS = `query($userId: ID!) { recommendations(userId: $userId, first: 5) { recommendationId strategy experiment { id variant fallback } edges { node { id } } } }`;
const CREATE = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { id status variants { name weight stopped strategy { trendingOnly diversity sourceOrder } } } }`;
const REPORT = `query($id: ID!) { experimentReport(id: $id) {
  experiment { id status statusReason variants { name stopped stopReason requests errors p99LatencyMs } }
  variants { name users exposures clicks conversions revenue conversionRate { estimate low high } revenuePerMember { estimate low high }
             versusControl { conversionLift { estimate low high pValue } cupedConversionLift { estimate } varianceReduction sequentialPValue } }
  sampleRatio { chiSquare pValue mismatch }
  attributed { variant clicks purchases }
  decisions { kind variant reason at }
  series { variant points { at users conversions } }
} }`;

interface Recs {
  recommendationId: string;
  strategy: string;
  experiment: { id: string; variant: string; fallback: boolean } | null;
  edges: { node: { id: string } }[];
}

describe('experiments over HTTP', () => {
  let services: Services;
  let server: RunningServer;
  let admin: string;
  let analyst: string;
  let frontend: string;
  let prefix: string;
  let products: string[];
  const members: string[] = [];
  const outsiders: string[] = [];
  let experimentId: string;

  beforeAll(async () => {
    // Guardrails judge after 20 requests per arm here (200 by default), on errors only: on a busy
    // test machine a few requests' latency says nothing (the latency rule is unit-tested).
    services = testServices({ EXPERIMENT_GUARDRAIL_MIN_REQUESTS: '20', EXPERIMENT_GUARDRAIL_LATENCY_PCT: '1000000', EXPERIMENT_FLUSH_MS: '600000' });
    prefix = ns('exp');
    products = (await makeCatalogue(services, prefix, 12)).productIds;
    for (let i = 0; i < 40; i++) (i < 30 ? members : outsiders).push(`${prefix}u${i}`);
    const old = Date.now() - 5 * 86_400_000;
    await services.interactions.record(
      [...members, ...outsiders].map((userId, i) => ({ eventId: `${prefix}seed${i}`, userId, productId: products[i % products.length], type: 'VIEW' as const, at: old })),
    );
    await services.db.writeOne(
      { name: 'test.segment', cypher: `CREATE (s:Segment {id: $id, label: 'test', size: size($users), current: true}) WITH s UNWIND $users AS id MATCH (u:User {id: id}) CREATE (u)-[:IN_SEGMENT]->(s)` },
      { id: `${prefix}seg`, users: members },
    );
    server = await startTestServer(services);
    [admin, analyst, frontend] = await Promise.all([keyFor(services, 'admin'), keyFor(services, 'analyst'), keyFor(services, 'frontend')]);
  }, 120000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  async function recs(userId: string): Promise<Recs> {
    const res = await gql<{ recommendations: Recs }>(server.url, RECS, { userId }, frontend);
    expect(res.errors).toBeUndefined();
    return res.data!.recommendations;
  }

  it('lets only an admin create an experiment, and refuses bad strategies with a message', async () => {
    const input = {
      name: 'trending vs default',
      segmentIds: [`${prefix}seg`],
      start: new Date(Date.now() - 1000).toISOString(),
      end: new Date(Date.now() + 3600_000).toISOString(),
      variants: [
        { name: 'control', weight: 1, strategy: {} },
        { name: 'trending', weight: 1, strategy: { trendingOnly: true } },
      ],
    };
    const denied = await gql(server.url, CREATE, { input }, frontend);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const bad = await gql(server.url, CREATE, { input: { ...input, variants: [input.variants[0], { name: 'x', weight: 1, strategy: { sourceOrder: ['nope'] } }] } }, admin);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toContain('unknown candidate sources nope');
    const unknownSegment = await gql(server.url, CREATE, { input: { ...input, segmentIds: [`${prefix}none`] } }, admin);
    expect(unknownSegment.errors?.[0].message).toContain('unknown segments');

    const res = await gql<{ createExperiment: { id: string; status: string; variants: { name: string; strategy: { trendingOnly: boolean | null } }[] } }>(
      server.url,
      CREATE,
      { input },
      admin,
    );
    expect(res.errors).toBeUndefined();
    experimentId = res.data!.createExperiment.id;
    expect(res.data!.createExperiment.status).toBe('RUNNING');
    expect(res.data!.createExperiment.variants.map((v) => v.name)).toEqual(['control', 'trending']);
    expect(res.data!.createExperiment.variants[1].strategy.trendingOnly).toBe(true);
  });

  it('serves members by their sticky variant and signs it into the recommendationId; outsiders are not enrolled', async () => {
    for (const userId of members) {
      const expected = ['control', 'trending'][pickByWeight([1, 1], bucketOf(experimentId, userId))];
      const [first, again] = [await recs(userId), await recs(userId)];
      expect(first.experiment).toEqual({ id: experimentId, variant: expected, fallback: false });
      expect(again.experiment).toEqual(first.experiment);
      expect(services.tokens.verify(first.recommendationId)?.experiment).toEqual({ id: experimentId, variant: expected });
    }
    for (const userId of outsiders) {
      const page = await recs(userId);
      expect(page.experiment).toBeNull();
      expect(services.tokens.verify(page.recommendationId)?.experiment).toBeUndefined();
    }
  });

  it('counts exposures, conversions and attributed events per variant in the report', async () => {
    const inTrending = members.filter((u) => pickByWeight([1, 1], bucketOf(experimentId, u)) === 1);
    const buyers = inTrending.slice(0, 3);
    const events = [];
    let n = 0;
    for (const userId of buyers) {
      const page = await recs(userId);
      const productId = page.edges[0].node.id;
      events.push({ eventId: `${prefix}c${n++}`, userId, productId, type: 'CLICK' as const, at: Date.now(), recommendationId: page.recommendationId });
      events.push({ eventId: `${prefix}c${n++}`, userId, productId, type: 'PURCHASE' as const, at: Date.now(), recommendationId: page.recommendationId });
    }
    const recorded = await services.interactions.record(events);
    expect(recorded.results.every((r) => r.status === 'ACCEPTED')).toBe(true);

    const denied = await gql(server.url, REPORT, { id: experimentId }, frontend);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const res = await gql<{ experimentReport: ReportShape }>(server.url, REPORT, { id: experimentId }, analyst);
    expect(res.errors).toBeUndefined();
    const report = res.data!.experimentReport;
    const [control, trending] = report.variants;
    expect(control.users + trending.users).toBe(members.length);
    expect(trending.users).toBe(inTrending.length);
    expect(control.exposures).toBe(2 * control.users);
    expect(trending.exposures).toBe(2 * trending.users + buyers.length);
    expect(trending.conversions).toBe(3);
    expect(trending.clicks).toBe(3);
    expect(control.conversions).toBe(0);
    // The day-by-day series for the analyst page ends at the report's counts.
    expect(report.series.map((s) => s.variant)).toEqual(['control', 'trending']);
    expect(report.series.map((s) => s.points[s.points.length - 1])).toMatchObject([
      { users: control.users, conversions: 0 },
      { users: trending.users, conversions: 3 },
    ]);
    expect(trending.conversionRate.estimate).toBeCloseTo(3 / inTrending.length, 9);
    expect(trending.conversionRate.low).toBeGreaterThan(0);
    expect(control.versusControl).toBeNull();
    // The control converted nobody, so no relative lift exists yet.
    expect(trending.versusControl!.conversionLift).toBeNull();
    expect(report.attributed).toEqual([
      { variant: 'control', clicks: 0, purchases: 0 },
      { variant: 'trending', clicks: 3, purchases: 3 },
    ]);
    expect(report.sampleRatio.pValue).toBeGreaterThan(0.001);
    expect(report.sampleRatio.mismatch).toBe(false);
    expect(report.experiment.variants[0].requests).toBe(control.exposures);
  });

  it('stops a variant that breaches the error guardrail; its users fall back to control', async () => {
    const trendingUser = members.find((u) => pickByWeight([1, 1], bucketOf(experimentId, u)) === 1)!;
    const controlUser = members.find((u) => pickByWeight([1, 1], bucketOf(experimentId, u)) === 0)!;
    // The variant failed 30% of 40 requests, the control none: counted through the serving hook as requests are.
    for (let i = 0; i < 40; i++) {
      services.experimentServing.served({ id: experimentId, variant: 'trending', fallback: false, options: {} }, trendingUser, 3, i % 10 < 3);
      services.experimentServing.served({ id: experimentId, variant: 'control', fallback: false, options: {} }, controlUser, 3, false);
    }
    await services.experimentServing.flush();
    const res = await gql<{ experimentReport: ReportShape }>(server.url, REPORT, { id: experimentId }, analyst);
    const variant = res.data!.experimentReport.experiment.variants[1];
    expect(variant.stopped).toBe(true);
    expect(variant.stopReason).toMatch(/^guardrail: error rate/);
    expect(res.data!.experimentReport.decisions).toEqual([expect.objectContaining({ kind: 'STOP_VARIANT', variant: 'trending', reason: variant.stopReason })]);
    const page = await recs(trendingUser);
    expect(page.experiment).toEqual({ id: experimentId, variant: 'trending', fallback: true });
    expect(services.tokens.verify(page.recommendationId)?.experiment).toBeUndefined();
  });

  it('records concluding with its reason and stops serving the experiment', async () => {
    const res = await gql<{ concludeExperiment: { status: string } }>(
      server.url,
      `mutation($id: ID!) { concludeExperiment(id: $id, reason: "control wins: trending breached the error guardrail") { status } }`,
      { id: experimentId },
      admin,
    );
    expect(res.data?.concludeExperiment.status).toBe('CONCLUDED');
    const again = await gql(server.url, `mutation($id: ID!) { stopExperiment(id: $id, reason: "twice") { status } }`, { id: experimentId }, admin);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await recs(members[0])).experiment).toBeNull();
    const report = await gql<{ experimentReport: ReportShape }>(server.url, REPORT, { id: experimentId }, analyst);
    expect(report.data!.experimentReport.decisions.map((d) => d.kind)).toEqual(['STOP_VARIANT', 'CONCLUDE']);
    expect(report.data!.experimentReport.experiment.statusReason).toContain('control wins');
  });
});

interface Iv {
  estimate: number;
  low: number;
  high: number;
}
interface ReportShape {
  series: { variant: string; points: { at: string; users: number; conversions: number }[] }[];
  experiment: { id: string; status: string; statusReason: string | null; variants: { name: string; stopped: boolean; stopReason: string | null; requests: number; errors: number }[] };
  variants: {
    name: string;
    users: number;
    exposures: number;
    clicks: number;
    conversions: number;
    revenue: number;
    conversionRate: Iv;
    revenuePerMember: Iv;
    versusControl: { conversionLift: (Iv & { pValue: number }) | null; varianceReduction: number; sequentialPValue: number } | null;
  }[];
  sampleRatio: { chiSquare: number; pValue: number; mismatch: boolean };
  attributed: { variant: string; clicks: number; purchases: number }[];
  decisions: { kind: string; variant: string | null; reason: string; at: string }[];
}
