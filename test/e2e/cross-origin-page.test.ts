/**
 * A shop's page on another origin calling the API from a real headless Chromium: CORS lets the
 * configured origin read answers (preflight and all), keeps other origins out, and an automatic
 * persisted query goes out as a GET by its hash once registered.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { launchBrowser } from '../support/browser';
import { keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

/** A page served on its own port: another origin than the API's. */
async function shopPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>shop</title><p>shop</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Runs GraphQL from inside the page: `extensions` only (a persisted query's hash) goes as GET. */
function callFromPage(page: Page, url: string, key: string, body: { query?: string; extensions?: unknown; variables?: unknown }) {
  return page.evaluate(
    async ({ url, key, body }) => {
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${key}` };
        let response: Response;
        if (body.query === undefined) {
          const search = new URLSearchParams({ extensions: JSON.stringify(body.extensions), variables: JSON.stringify(body.variables ?? {}) });
          response = await fetch(`${url}?${search.toString()}`, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
        } else {
          response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        }
        return { ok: true, status: response.status, cacheControl: response.headers.get('cache-control'), json: (await response.json()) as unknown };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { url, key, body },
  );
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('a page on another origin', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let shop: Awaited<ReturnType<typeof shopPage>>;
  let services: Services;
  let server: RunningServer;
  let closedServices: Services;
  let closedServer: RunningServer;
  let key: string;
  let page: Page;
  let productId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    shop = await shopPage();
    services = testServices({ CORS_ORIGINS: shop.origin });
    server = await startTestServer(services);
    closedServices = testServices();
    closedServer = await startTestServer(closedServices);
    key = await keyFor(services, 'frontend');
    productId = `${ns('cors')}p`;
    await services.catalog.upsertProducts([{ id: productId, title: 'Desk lamp', inStock: true, categoryIds: [] }]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(shop.origin);
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await server?.close();
    await closedServer?.close();
    await services?.close();
    await closedServices?.close();
  });

  it('reads the API when its origin is configured (a preflighted POST)', async () => {
    const result = await callFromPage(page, server.url, key, { query: `{ product(id: "${productId}") { title } }` });
    expect(result).toMatchObject({ ok: true, status: 200, json: { data: { product: { title: 'Desk lamp' } } } });
  });

  it('is kept out by a server that does not list its origin', async () => {
    const result = await callFromPage(page, closedServer.url, key, { query: `{ product(id: "${productId}") { title } }` });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/Failed to fetch/);
  });

  it('sends a persisted query by hash as a cacheable GET after registering it', async () => {
    const query = 'query Lamp($id: ID!) { product(id: $id) { id title } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } };
    const variables = { id: productId };
    const first = await callFromPage(page, server.url, key, { extensions, variables });
    expect(first).toMatchObject({ ok: true, json: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
    await callFromPage(page, server.url, key, { query, extensions, variables });
    const byHash = await callFromPage(page, server.url, key, { extensions, variables });
    expect(byHash).toMatchObject({ ok: true, status: 200, cacheControl: 'max-age=60, public', json: { data: { product: { id: productId, title: 'Desk lamp' } } } });
  });
});
