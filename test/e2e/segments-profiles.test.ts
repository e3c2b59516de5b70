import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';
import { makeSegmentWorld, segmentWorld, SegmentWorld } from '../support/segments';

const SEGMENTS = `query($v: ID) { segments(modelVersion: $v) { id label size topCategories { category { id } share } topProducts(first: 3) { product { id } members }
  stats { avgRecencyDays avgFrequency avgMonetary monetaryIsCount k silhouette } } }`;
const MEMBERS = `query($id: ID!, $after: String) { segment(id: $id) { id members(first: 5, after: $after) { edges { node { id } cursor } pageInfo { hasNextPage endCursor } totalCount } } }`;
const PROFILE = `query($id: ID!) { user(id: $id) { id profile {
  referenceTime interests { category { id name } affinity } rfm { recency frequency monetary monetaryIsCount conversionTypes score code }
  segment { id label } predictedNextCategories { category { id } probability } purchasePropensity propensityWindowDays
  activity { lastSeen totalEvents eventsByType { type count } } } } }`;

interface ProfileJson {
  referenceTime: string;
  interests: { category: { id: string; name: string }; affinity: number }[];
  rfm: { recency: number; frequency: number; monetary: number; score: number; code: string };
  segment: { id: string; label: string };
  predictedNextCategories: { category: { id: string }; probability: number }[];
  purchasePropensity: number;
  activity: { lastSeen: string; totalEvents: number; eventsByType: { type: string; count: number }[] };
}

describe('segments and profiles over HTTP', () => {
  let services: Services;
  let server: RunningServer;
  let analyst: string;
  let frontend: string;
  let partner: string;
  let world: SegmentWorld;

  beforeAll(async () => {
    services = testServices();
    server = await startTestServer(services);
    [analyst, frontend] = await Promise.all([keyFor(services, 'analyst'), keyFor(services, 'frontend')]);
    partner = await keyFor(services, 'partner', ns('partner'));
    world = await makeSegmentWorld(services, ns('e2eseg'));
    await segmentWorld(services, world);
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  it('lists the segments of a model version with categories, products and stats', async () => {
    const res = await gql<{ segments: { id: string; size: number; label: string; topCategories: unknown[]; topProducts: { members: number }[]; stats: { k: number } }[] }>(
      server.url, SEGMENTS, { v: world.versionId }, analyst,
    );
    expect(res.errors).toBeUndefined();
    const segments = res.data?.segments ?? [];
    expect(segments.map((s) => s.size)).toEqual([8, 8, 8]);
    for (const s of segments) {
      expect(s.label).toMatch(/fans|shoppers/);
      expect(s.topCategories.length).toBeGreaterThan(0);
      expect(s.topProducts.length).toBe(3);
      expect(s.stats.k).toBe(3);
    }
  });

  it('pages through a segment\'s members with Relay cursors', async () => {
    const list = await gql<{ segments: { id: string }[] }>(server.url, SEGMENTS, { v: world.versionId }, analyst);
    const id = list.data?.segments[0].id as string;
    type Members = { segment: { members: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number } } };
    const first = await gql<Members>(server.url, MEMBERS, { id }, analyst);
    expect(first.errors).toBeUndefined();
    expect(first.data?.segment.members.totalCount).toBe(8);
    expect(first.data?.segment.members.pageInfo.hasNextPage).toBe(true);
    const second = await gql<Members>(server.url, MEMBERS, { id, after: first.data?.segment.members.pageInfo.endCursor }, analyst);
    const ids = [...(first.data?.segment.members.edges ?? []), ...(second.data?.segment.members.edges ?? [])].map((e) => e.node.id);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    expect(second.data?.segment.members.pageInfo.hasNextPage).toBe(false);
  });

  it('answers NOT_FOUND for an unknown segment and user', async () => {
    const segment = await gql(server.url, MEMBERS, { id: `${world.prefix}nope` }, analyst);
    expect(segment.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const user = await gql(server.url, PROFILE, { id: `${world.prefix}nobody` }, frontend);
    expect(user.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('gives a frontend a user\'s profile with every figure', async () => {
    const buyer = world.groups[0][0];
    const res = await gql<{ user: { profile: ProfileJson } }>(server.url, PROFILE, { id: buyer }, frontend);
    expect(res.errors).toBeUndefined();
    const profile = res.data?.user.profile as ProfileJson;
    expect(profile.interests[0]).toEqual({ category: { id: world.catalogue.categoryIds[1], name: 'A' }, affinity: 1 });
    expect(profile.rfm).toMatchObject({ frequency: 4, monetaryIsCount: false, conversionTypes: ['PURCHASE'] });
    expect(profile.rfm.monetary).toBeGreaterThan(0);
    expect(profile.rfm.score).toBeGreaterThanOrEqual(1);
    expect(profile.rfm.code).toMatch(/^[1-5]{3}$/);
    expect(profile.segment.label).toMatch(/fans|shoppers/);
    expect(profile.predictedNextCategories.length).toBeGreaterThan(0);
    expect(profile.purchasePropensity).toBeGreaterThan(0);
    expect(profile.purchasePropensity).toBeLessThan(1);
    expect(profile.activity.totalEvents).toBe(12);
    expect(profile.activity.eventsByType).toEqual([{ type: 'VIEW', count: 8 }, { type: 'PURCHASE', count: 4 }]);
    expect(Date.parse(profile.activity.lastSeen)).toBeLessThanOrEqual(Date.parse(profile.referenceTime));
  });

  it('ranks recent buyers above lapsed viewers by propensity', async () => {
    const buyer = await gql<{ user: { profile: { purchasePropensity: number } } }>(server.url, PROFILE, { id: world.groups[0][1] }, frontend);
    const lapsed = await gql<{ user: { profile: { purchasePropensity: number; rfm: { recency: number } } } }>(server.url, PROFILE, { id: world.groups[1][1] }, frontend);
    expect(buyer.data?.user.profile.purchasePropensity).toBeGreaterThan(lapsed.data?.user.profile.purchasePropensity as number);
    expect(lapsed.data?.user.profile.rfm.recency).toBeGreaterThan(250);
  });

  it.each([
    ['partner', 'segments', () => partner, SEGMENTS, {}],
    ['frontend', 'segments', () => frontend, SEGMENTS, {}],
    ['frontend', 'segment', () => frontend, MEMBERS, { id: 'x' }],
    ['partner', 'user', () => partner, PROFILE, { id: 'x' }],
  ])('refuses the %s role on %s with FORBIDDEN', async (_role, field, key, query, variables) => {
    const res = await gql(server.url, query, variables, key());
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].message).toContain(field);
  });

  it('keeps user.segment (with members) for analysts', async () => {
    const query = `query($id: ID!) { user(id: $id) { segment { id label size } } }`;
    const forbidden = await gql(server.url, query, { id: world.groups[0][0] }, frontend);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const res = await gql<{ user: { segment: { size: number } } }>(server.url, query, { id: world.groups[0][0] }, analyst);
    expect(res.data?.user.segment.size).toBe(8);
  });
});
