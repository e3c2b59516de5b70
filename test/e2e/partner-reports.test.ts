/**
 * Partner reports over HTTP: the calling partner's figures per day, category and product, small
 * cells suppressed — also when two overlapping reports are subtracted — noise that repeats per
 * cell, the epsilon budget, and the analysts' programPerformance and audienceOverlap.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { PartnerClickRepository } from '../../src/repositories/partner-click.repository';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { PartnerWorld, partnerWithMembers, partnerWorld } from '../support/partners';
import { ns, testServices } from '../support/runtime';

const DAY = 86_400_000;
const REPORT = `query($from: DateTime!, $to: DateTime!, $groupBy: ReportGroup) {
  partnerReport(from: $from, to: $to, groupBy: $groupBy) { from to minGroupSize epsilonSpent rows { key clicks uniqueClicks conversions revenue commission recommendationsServed } }
}`;

interface Row {
  key: string;
  clicks: number | null;
  uniqueClicks: number | null;
  conversions: number | null;
  revenue: number | null;
  commission: number | null;
}

const dayKey = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('partner reports and privacy', () => {
  let services: Services;
  let server: RunningServer;
  let world: PartnerWorld;
  let partnerId: string;
  let otherId: string;
  let key: string;
  let otherKey: string;
  let analyst: string;
  const today = Math.floor(Date.now() / DAY) * DAY + 3_600_000;
  const yesterday = today - DAY;
  const iso = (t: number) => new Date(t).toISOString();

  beforeAll(async () => {
    services = testServices({ PRIVACY_EPSILON_PER_QUERY: '0', CLICK_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rep-')) });
    server = await startTestServer(services);
    world = await partnerWorld(services, ns('rep'), 60);
    partnerId = `${world.prefix}P`;
    otherId = `${world.prefix}Q`;
    key = await partnerWithMembers(services, partnerId, world.userIds);
    otherKey = await partnerWithMembers(services, otherId, world.userIds.slice(0, 55), undefined, 'q-');
    analyst = await keyFor(services, 'analyst');
    // The programs ran for a while before the clicks below: version 1 came into force 10 days ago.
    await services.db.writeOne(
      { name: 'test.backdatePrograms', cypher: 'UNWIND $ids AS id MATCH (pr:Program {partnerId: id}) SET pr.effectiveFrom = datetime() - duration({days: 10})' },
      { ids: [partnerId, otherId] },
    );
    const product = world.catalogue.productIds[4];
    const click = (userId: string, at: number, p = partnerId) => ({ id: randomUUID(), at, partnerId: p, userId, productId: product, recommendationId: 'rec_t', digest: randomUUID() });
    // Yesterday 12 members click (a releasable cell), today 3 (a small one); B's clicks never show in A's report.
    await new PartnerClickRepository(services.db).create([
      ...world.userIds.slice(0, 12).map((u) => click(u, yesterday)),
      ...world.userIds.slice(20, 23).map((u) => click(u, today)),
      ...world.userIds.slice(30, 45).map((u) => click(u, yesterday, otherId)),
    ], services.config.partners.clickDedupWindowMs);
    for (const [i, u] of world.userIds.slice(0, 11).entries()) {
      await services.conversions.record({ orderId: `${world.prefix}y${i}`, userId: u, items: [{ productId: product, quantity: 1, unitPrice: 10 }], at: yesterday + 60_000 });
    }
    for (const [i, u] of world.userIds.slice(20, 22).entries()) {
      await services.conversions.record({ orderId: `${world.prefix}t${i}`, userId: u, items: [{ productId: product, quantity: 1, unitPrice: 10 }], at: today + 60_000 });
    }
  });

  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  async function report(from: number, to: number, groupBy: string, k = key): Promise<Row[]> {
    const res = await gql<{ partnerReport: { rows: Row[] } }>(server.url, REPORT, { from: iso(from), to: iso(to), groupBy }, k);
    expect(res.errors).toBeUndefined();
    return res.data?.partnerReport.rows ?? [];
  }

  it('reports a releasable day and suppresses a small one', async () => {
    const rows = await report(yesterday, today, 'DAY');
    expect(rows.find((r) => r.key === dayKey(yesterday))).toMatchObject({ clicks: 12, uniqueClicks: 12, conversions: 11, revenue: 110 });
    expect(rows.find((r) => r.key === dayKey(today))).toMatchObject({ clicks: null, uniqueClicks: null, conversions: null, revenue: null, commission: null });
  });

  it('never reveals the small day by subtracting two overlapping reports', async () => {
    for (const groupBy of ['PRODUCT', 'CATEGORY']) {
      const both = await report(yesterday, today, groupBy);
      const first = await report(yesterday, yesterday, groupBy);
      expect(both).toEqual(first);
    }
    const todayOnly = await report(today, today, 'PRODUCT');
    expect(todayOnly.every((r) => r.clicks === null && r.conversions === null)).toBe(true);
  });

  it("shows a partner only its own clicks", async () => {
    const rows = await report(yesterday, today, 'DAY', otherKey);
    expect(rows.find((r) => r.key === dayKey(yesterday))).toMatchObject({ clicks: 15, conversions: null });
  });

  it('gives analysts programPerformance across partners and refuses it to partners', async () => {
    const res = await gql<{ programPerformance: { partnerId: string; clicks: number; conversions: number; revenue: number }[] }>(
      server.url,
      'query($f: DateTime!, $t: DateTime!) { programPerformance(from: $f, to: $t) { partnerId clicks conversions revenue } }',
      { f: iso(yesterday), t: iso(today) },
      analyst,
    );
    const mine = res.data?.programPerformance.filter((r) => r.partnerId.startsWith(world.prefix));
    expect(mine).toEqual([
      { partnerId, clicks: 15, conversions: 13, revenue: 130 },
      { partnerId: otherId, clicks: 15, conversions: 0, revenue: 0 },
    ]);
    const refused = await gql(server.url, '{ programPerformance(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { partnerId } }', {}, key);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('suppresses overlap and segment cells below the audience minimum, and a lone small segment\'s complement', async () => {
    const segments = ['s1', 's2', 's3'].map((s) => `${world.prefix}${s}`);
    // 52 of the 55 shared members in s1, 2 in s2, 1 in s3: both small cells hidden, and s1 too would reveal their sum only.
    await services.db.writeOne(
      {
        name: 'test.segments',
        cypher: `UNWIND $segments AS sid CREATE (:Segment {id: sid, label: sid, current: true})
                 WITH count(*) AS _ UNWIND range(0, size($users) - 1) AS i
                 MATCH (u:User {id: $users[i]}), (s:Segment {id: CASE WHEN i < 52 THEN $segments[0] WHEN i < 54 THEN $segments[1] ELSE $segments[2] END})
                 CREATE (u)-[:IN_SEGMENT]->(s)`,
      },
      { segments, users: world.userIds.slice(0, 55) },
    );
    const res = await gql<{ audienceOverlap: { partnerA: string; partnerB: string; members: number | null; segments: { segmentId: string; members: number | null }[] }[] }>(
      server.url,
      'query($ids: [ID!]!) { audienceOverlap(partnerIds: $ids) { partnerA partnerB members segments { segmentId members } } }',
      { ids: [partnerId, otherId] },
      analyst,
    );
    const pair = res.data?.audienceOverlap.find((o) => o.partnerA !== o.partnerB);
    expect(pair?.members).toBe(55);
    expect(pair?.segments).toEqual([
      { segmentId: segments[0], members: 52 },
      { segmentId: segments[1], members: null },
      { segmentId: segments[2], members: null },
    ]);
    const small = await services.partnerReports.audienceOverlap([partnerId, `${world.prefix}nobody`]);
    expect(small.every((o) => o.partnerA === o.partnerB || o.members === null)).toBe(true);
  });
});

describe('report noise and the epsilon budget', () => {
  let services: Services;
  afterAll(async () => services?.close());

  it('answers a repeated report with the same noisy figures and refuses once the budget is spent', async () => {
    services = testServices({ PRIVACY_EPSILON_PER_QUERY: '0.5', PRIVACY_EPSILON_BUDGET: '1' });
    const world = await partnerWorld(services, ns('eps'), 12);
    const partnerId = `${world.prefix}P`;
    await partnerWithMembers(services, partnerId, world.userIds);
    const at = Date.now();
    await new PartnerClickRepository(services.db).create(
      world.userIds.map((userId) => ({ id: randomUUID(), at, partnerId, userId, productId: world.catalogue.productIds[1], recommendationId: 'rec_t', digest: randomUUID() })),
      services.config.partners.clickDedupWindowMs,
    );
    const ask = () => services.partnerReports.partnerReport({ partnerId, from: new Date(at), to: new Date(at), groupBy: 'DAY' });
    const first = await ask();
    const second = await ask();
    expect(second.rows).toEqual(first.rows);
    expect(second.epsilonSpent).toBe(1);
    await expect(ask()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
