/**
 * The affiliate loop over HTTP: recommend → click → recordConversion (attributed, idempotent,
 * commission at the terms in force at the click) → approve after the lock period → reverse; and a
 * revoked member's clicks attribute nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { PartnerWorld, partnerWithMembers, partnerWorld, programTerms } from '../support/partners';
import { ns, testServices } from '../support/runtime';

const RECS = `query($refs: [ID!]!) { partnerRecommendations(memberRefs: $refs, first: 2) { items { trackingUrl product { id price } } } }`;
const CONVERT = `mutation($orderId: ID!, $userId: ID!, $items: [ConversionItemInput!]!) {
  recordConversion(orderId: $orderId, userId: $userId, items: $items) { orderId status partnerId programVersion revenue commission }
}`;

interface Conv {
  orderId: string;
  status: string;
  partnerId: string | null;
  programVersion: number | null;
  revenue: number;
  commission: number;
}

describe('conversions and attribution', () => {
  let services: Services;
  let server: RunningServer;
  let world: PartnerWorld;
  let partnerId: string;
  let partnerKey: string;
  let frontend: string;
  let admin: string;

  beforeAll(async () => {
    services = testServices({ CLICK_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'conv-')) });
    server = await startTestServer(services);
    world = await partnerWorld(services, ns('cv'), 3);
    partnerId = `${world.prefix}P`;
    const [, catA] = world.catalogue.categoryIds;
    partnerKey = await partnerWithMembers(services, partnerId, world.userIds, programTerms({ defaultRate: 0.05, categoryRates: [{ categoryId: catA, rate: 0.1 }] }));
    [frontend, admin] = await Promise.all([keyFor(services, 'frontend'), keyFor(services, 'admin')]);
  });

  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  async function clickFor(ref: string): Promise<{ productId: string }> {
    const res = await gql<{ partnerRecommendations: { items: { trackingUrl: string; product: { id: string } }[] }[] }>(server.url, RECS, { refs: [ref] }, partnerKey);
    const item = res.data?.partnerRecommendations[0].items[0];
    if (!item) throw new Error('no recommendation');
    const url = item.trackingUrl.replace(/^http:\/\/localhost:\d+/, `http://127.0.0.1:${server.port}`);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    await services.clicks.drain();
    return { productId: item.product.id };
  }

  const convert = async (variables: Record<string, unknown>, key = frontend): Promise<Conv> => {
    const res = await gql<{ recordConversion: Conv }>(server.url, CONVERT, variables, key);
    expect(res.errors).toBeUndefined();
    return res.data?.recordConversion as Conv;
  };

  it('attributes an order to the click at the terms in force at it, once per orderId, then approves and reverses it', async () => {
    const { productId } = await clickFor('ref-0');
    // A new version after the click: the order is still paid at version 1.
    await services.partners.updateProgram(partnerId, programTerms({ defaultRate: 0.5 }));
    const other = world.catalogue.productIds[1]; // category B: the default rate
    const orderId = `${world.prefix}o1`;
    const items = [{ productId, quantity: 2, unitPrice: 10 }, { productId: other, quantity: 1, unitPrice: 20 }];
    const first = await convert({ orderId, userId: world.userIds[0], items });
    const rateOfClicked = world.catalogue.productIds.indexOf(productId) % 2 === 0 ? 0.1 : 0.05;
    expect(first).toEqual({ orderId, status: 'PENDING', partnerId, programVersion: 1, revenue: 40, commission: Math.round((20 * rateOfClicked + 20 * 0.05) * 100) / 100 });
    expect(await convert({ orderId, userId: world.userIds[0], items: [{ productId, quantity: 9, unitPrice: 99 }] })).toEqual(first);

    const early = await gql<{ approveConversions: number }>(server.url, 'mutation { approveConversions }', {}, admin);
    expect(early.data?.approveConversions).toBe(0);
    const later = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const approved = await gql<{ approveConversions: number }>(server.url, 'mutation($t: DateTime) { approveConversions(asOf: $t) }', { t: later }, admin);
    expect(approved.data?.approveConversions).toBeGreaterThanOrEqual(1);
    const reversed = await gql<{ reverseConversion: Conv }>(server.url, `mutation { reverseConversion(orderId: "${orderId}", reason: "returned") { status commission revenue } }`, {}, frontend);
    expect(reversed.data?.reverseConversion).toEqual({ status: 'REVERSED', commission: 0, revenue: 40 });
  });

  it('leaves orders without a partner click unattributed', async () => {
    const conv = await convert({ orderId: `${world.prefix}o2`, userId: world.userIds[1], items: [{ productId: world.catalogue.productIds[3], quantity: 1, unitPrice: 5 }] });
    expect(conv).toMatchObject({ partnerId: null, programVersion: null, commission: 0, revenue: 5 });
  });

  it("stops attributing a member's clicks once the member is unlinked", async () => {
    const { productId } = await clickFor('ref-2');
    await services.partners.unlink(partnerId, ['ref-2']);
    const conv = await convert({ orderId: `${world.prefix}o3`, userId: world.userIds[2], items: [{ productId, quantity: 1, unitPrice: 10 }] });
    expect(conv).toMatchObject({ partnerId: null, commission: 0 });
  });

  it('refuses recordConversion to partner and analyst keys', async () => {
    const analyst = await keyFor(services, 'analyst');
    const variables = { orderId: 'x', userId: 'x', items: [{ productId: 'x', quantity: 1, unitPrice: 1 }] };
    expect((await gql(server.url, CONVERT, variables, analyst)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // The partner schema has neither the mutation nor its input type.
    const partner = await gql(server.url, CONVERT, variables, partnerKey);
    expect(partner.data).toBeNull();
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(partner.errors?.[0].message).toContain('recordConversion');
  });
});
