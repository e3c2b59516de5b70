/**
 * The analyst page in a real headless Chromium (Debian's package, driven by playwright-core):
 * it loads, takes a key, draws a product's neighbourhood and grows it when a node is clicked.
 */
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { ExperimentRepository } from '../../src/repositories/experiment.repository';
import { bucketOf, pickByWeight } from '../../src/services/experiments/assignment';
import { keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

/** Set to a folder to keep screenshots of each step. */
const SCREENSHOTS = process.env.EXPLORE_SCREENSHOT_DIR;

describe('the /explore page in a headless browser', () => {
  let services: Services;
  let server: RunningServer;
  let analyst: string;
  let context: BrowserContext;
  let page: Page;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let prefix: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = browser.context;
    services = testServices();
    server = await startTestServer(services);
    analyst = await keyFor(services, 'analyst');
    prefix = ns('page');
    await services.repositories.categories.upsert([{ id: `${prefix}cat`, name: 'Lamps' }]);
    const productIds = [0, 1, 2, 3].map((i) => `${prefix}p${i}`);
    await services.repositories.products.upsert(productIds.map((id, i) => ({ id, title: `Lamp ${i}`, inStock: true, categoryIds: [`${prefix}cat`] })));
    // Four users viewed lamp 0; the first of them also bought lamps 1–3.
    const events = [
      ...[1, 2, 3, 4].map((u) => ({ userId: `${prefix}u${u}`, productId: productIds[0], type: 'VIEW' as const })),
      ...[1, 2, 3].map((p) => ({ userId: `${prefix}u1`, productId: productIds[p], type: 'PURCHASE' as const })),
    ];
    await services.interactions.record(events.map((e, n) => ({ ...e, eventId: `${prefix}e${n}`, at: 1700000000000 + n })));

    page = context.pages()[0] ?? (await context.newPage());
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
  });

  const shot = async (name: string): Promise<void> => {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `explore-${name}.png`) });
  };

  it('draws a product neighbourhood and expands a clicked node', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const base = server.url.replace(/\/graphql$/, '');
    const response = await page.goto(`${base}/explore`);
    expect(response?.status()).toBe(200);
    await page.locator('#status', { hasText: 'Ready.' }).waitFor();

    await page.fill('#api-key', analyst);
    await page.click('#key-form button[type=submit]');
    await page.selectOption('#lookup-kind', 'product');
    await page.fill('#lookup-id', `${prefix}p0`);
    await page.selectOption('#lookup-depth', '1');
    await page.click('#lookup-go');

    // Lamp 0, its four users and its category.
    await page.locator('#graph circle.node').nth(1).waitFor();
    await page.locator('#graph:not([aria-busy])').waitFor();
    expect(await page.locator('#graph circle.node').count()).toBe(6);
    expect(await page.locator('#graph line.edge').count()).toBe(5);
    expect(await page.locator(`#graph circle[data-id="product:${prefix}p0"]`).getAttribute('fill')).toBe('#e0782f');
    await page.waitForTimeout(1500);
    await shot('1-product');

    await page.locator(`#graph circle[data-id="user:${prefix}u1"]`).click();
    await page.locator('#graph circle.node').nth(6).waitFor();
    await page.locator('#graph:not([aria-busy])').waitFor();
    expect(await page.locator('#graph circle.node').count()).toBe(9);
    expect(await page.textContent('#details')).toContain(`${prefix}u1`);
    await page.waitForTimeout(1500);
    await shot('2-expanded');

    // The segments view answers too (points when a model is active, otherwise a note).
    await page.click('.tab[data-view=segments]');
    await page.click('#scatter-go');
    await page.locator('#status', { hasText: /Segments drawn|\(/ }).waitFor();
    expect(await page.textContent('#status')).toBe('Segments drawn.');
    await shot('3-segments');
    expect(pageErrors).toEqual([]);
  });

  it('shows an experiment: variants over time with intervals, the SRM status and the lift', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const DAY = 86_400_000;
    const start = Date.now() - 3 * DAY;
    const users = Array.from({ length: 24 }, (_, i) => `${prefix}x${i}`);
    await services.interactions.record(users.map((userId, i) => ({ eventId: `${prefix}xv${i}`, userId, productId: `${prefix}p0`, type: 'VIEW' as const, at: start - DAY })));
    await services.db.writeOne(
      { name: 'test.segment', cypher: `CREATE (s:Segment {id: $id, label: 'page', size: size($users), current: true}) WITH s UNWIND $users AS id MATCH (u:User {id: id}) CREATE (u)-[:IN_SEGMENT]->(s)` },
      { id: `${prefix}xseg`, users },
    );
    const experiment = await services.experiments.create({
      name: `${prefix}lamps`,
      segmentIds: [`${prefix}xseg`],
      start,
      end: Date.now() + DAY,
      variants: [{ name: 'control', weight: 1, strategy: {} }, { name: 'trending', weight: 1, strategy: { trendingOnly: true } }],
    });
    // Exposures as the serving flush records them, spread over three days; most trending members buy.
    const variantOf = (u: string): string => ['control', 'trending'][pickByWeight([1, 1], bucketOf(experiment.id, u))];
    await new ExperimentRepository(services.db).recordExposures(
      users.map((userId, i) => ({ experimentId: experiment.id, userId, variant: variantOf(userId), first: start + (i % 3) * DAY + 1000, last: start + (i % 3) * DAY + 2000, count: 1 })),
    );
    const buyers = [...users.filter((u) => variantOf(u) === 'trending').slice(0, 5), ...users.filter((u) => variantOf(u) === 'control').slice(0, 1)];
    await services.interactions.record(buyers.map((userId, i) => ({ eventId: `${prefix}xb${i}`, userId, productId: `${prefix}p1`, type: 'PURCHASE' as const, at: Date.now() - 1000 })));
    const report = await services.experiments.report(experiment.id);
    const lift = report.comparison.groups[1].versusControl?.conversionLift;
    expect(lift?.estimate).toBeGreaterThan(0);

    await page.click('.tab[data-view=experiments]');
    await page.click('#experiment-list');
    await page.locator('#status', { hasText: /experiments\.$/ }).waitFor();
    await page.selectOption('#experiment-id', experiment.id);
    await page.click('#experiment-go');
    await page.locator('#status', { hasText: 'Experiment drawn.' }).waitFor();

    // One line and one interval band per variant, a point per day.
    expect(await page.locator('#experiment-chart polyline.series').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-variant')))).toEqual(['control', 'trending']);
    expect(await page.locator('#experiment-chart polygon.band').count()).toBe(2);
    const points = (await page.locator('#experiment-chart polyline.series').first().getAttribute('points'))!.split(' ');
    expect(points.length).toBe(report.series[0].points.length);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#variant-table tr[data-variant]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-variant')))).toEqual(['control', 'trending']);
    expect(await page.textContent('#srm-status')).toMatch(report.comparison.sampleRatio.mismatch ? /^Sample ratio mismatch/ : /^Sample ratio OK/);
    const pct = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}%`;
    expect(await page.textContent('#variant-table tr[data-variant=trending] td.lift')).toBe(`${pct(lift!.estimate)} [${pct(lift!.low)}, ${pct(lift!.high)}]`);
    expect(await page.textContent('#variant-table tr[data-variant=control] td.lift')).toBe('control');
    await shot('4-experiment');
    await services.experiments.end(experiment.id, 'STOP', 'page test done');
    expect(pageErrors).toEqual([]);
  });

  it('keeps the key in sessionStorage and shows a refused key as an error', async () => {
    expect(await page.evaluate(`sessionStorage.getItem('affinity.apiKey')`)).toBe(analyst);
    await page.evaluate(`sessionStorage.setItem('affinity.apiKey', 'aff_wrong')`);
    await page.click('.tab[data-view=graph]');
    await page.fill('#lookup-id', `${prefix}p0`);
    await page.click('#lookup-go');
    await page.locator('#status.error').waitFor();
    expect(await page.textContent('#status')).toContain('UNAUTHENTICATED');
  });
});
