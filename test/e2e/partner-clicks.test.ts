/**
 * Tracking links over HTTP: a click is recorded (partner, recommendationId) and redirected to the
 * landing page; repeats within the window record nothing more; forged, altered, expired and
 * foreign tokens get a plain 404 and record nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { TrackingLinks } from '../../src/services/partner/tracking-link';
import { gql, startTestServer } from '../support/http';
import { PartnerWorld, partnerWithMembers, partnerWorld, programTerms } from '../support/partners';
import { ns, testServices } from '../support/runtime';

const RECS = `query($refs: [ID!]!) { partnerRecommendations(memberRefs: $refs, first: 3) { memberRef items { trackingUrl product { id } } } }`;

async function open(url: string): Promise<{ status: number; location: string | null; body: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

describe('tracking links (GET /r/<token>)', () => {
  let services: Services;
  let server: RunningServer;
  let world: PartnerWorld;
  let partnerId: string;
  let key: string;
  let links: { url: string; productId: string }[];

  beforeAll(async () => {
    services = testServices({ CLICK_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'clicks-')), CLICK_DEDUP_WINDOW_S: '2', CLICK_JOURNAL_FLUSH_MS: '50' });
    server = await startTestServer(services);
    world = await partnerWorld(services, ns('clk'), 3);
    partnerId = `${world.prefix}P`;
    key = await partnerWithMembers(services, partnerId, world.userIds, programTerms({ landingUrlTemplate: 'https://shop.example/item/{productId}?src=aff' }));
    const res = await gql<{ partnerRecommendations: { items: { trackingUrl: string; product: { id: string } }[] }[] }>(server.url, RECS, { refs: ['ref-0'] }, key);
    links = (res.data?.partnerRecommendations[0].items ?? []).map((i) => ({ url: i.trackingUrl.replace(/^http:\/\/localhost:\d+/, `http://127.0.0.1:${server.port}`), productId: i.product.id }));
    expect(links.length).toBe(3);
  });

  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  const clicksOfUser = async (userId: string) =>
    services.db.readOne<{ productId: string; partnerId: string; recommendationId: string }>(
      { name: 'test.clicks', cypher: `MATCH (:User {id: $userId})-[r:INTERACTED {type: 'CLICK'}]->(p) RETURN p.id AS productId, r.partnerId AS partnerId, r.recommendationId AS recommendationId` },
      { userId },
    );

  it('redirects (302) to the landing page and records one click with partner and recommendationId', async () => {
    const res = await open(links[0].url);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`https://shop.example/item/${links[0].productId}?src=aff`);
    await services.clicks.drain();
    const clicks = await clicksOfUser(world.userIds[0]);
    expect(clicks).toEqual([{ productId: links[0].productId, partnerId, recommendationId: expect.stringMatching(/^rec_/) }]);
  });

  it('records a repeat of the same token within the window once, and again after it', async () => {
    for (let i = 0; i < 3; i++) expect((await open(links[1].url)).status).toBe(302);
    await services.clicks.drain();
    const count = async () => (await clicksOfUser(world.userIds[0])).filter((c) => c.productId === links[1].productId).length;
    expect(await count()).toBe(1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await open(links[1].url)).status).toBe(302);
    await services.clicks.drain();
    expect(await count()).toBe(2);
  });

  it('adds no click for a token repeated within the window through another process (a retry after a restart)', async () => {
    const userId = world.userIds[2];
    const productId = world.catalogue.productIds[7];
    const token = new TrackingLinks(services.config.partners.linkKey).seal({ partnerId, userId, productId, recommendationId: 'rec_retry', expiresAt: Date.now() + 60_000 });
    const count = async () => (await clicksOfUser(userId)).filter((c) => c.productId === productId).length;
    expect((await open(`http://127.0.0.1:${server.port}/r/${token}`)).status).toBe(302);
    await services.clicks.drain();
    expect(await count()).toBe(1);
    // A restarted process: its own journal, an empty de-dup map; only the click id can tell the repeat.
    const restarted = testServices({ CLICK_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'clicks-')), CLICK_DEDUP_WINDOW_S: '2', CLICK_JOURNAL_FLUSH_MS: '50' });
    try {
      await restarted.clicks.start();
      expect(await restarted.clicks.click(token)).toBe(`https://shop.example/item/${productId}?src=aff`);
      await restarted.clicks.drain();
      expect(await count()).toBe(1);
      await new Promise((r) => setTimeout(r, 2100));
      await restarted.clicks.click(token);
      await restarted.clicks.drain();
      expect(await count()).toBe(2);
    } finally {
      await restarted.clicks.stop();
      await restarted.close();
    }
  });

  it('answers forged, altered, expired and foreign-key tokens with a plain 404 and records nothing', async () => {
    const before = (await clicksOfUser(world.userIds[1])).length;
    const token = links[2].url.split('/r/')[1];
    const altered = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    const mine = new TrackingLinks(services.config.partners.linkKey);
    const expired = mine.seal({ partnerId, userId: world.userIds[1], productId: links[2].productId, recommendationId: 'rec_x', expiresAt: Date.now() - 1000 });
    const foreign = new TrackingLinks('ab'.repeat(32)).seal({ partnerId, userId: world.userIds[1], productId: links[2].productId, recommendationId: 'rec_x', expiresAt: Date.now() + 60_000 });
    for (const bad of [altered, expired, foreign, 'forged', 'A'.repeat(80), token + 'A']) {
      const res = await open(`http://127.0.0.1:${server.port}/r/${bad}`);
      expect(res.status).toBe(404);
      expect(res.location).toBeNull();
      expect(res.body).toBe('Not found\n');
    }
    await services.clicks.drain();
    expect((await clicksOfUser(world.userIds[1])).length).toBe(before);
  });
});
