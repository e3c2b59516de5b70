import { createHash } from 'node:crypto';
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { Catalogue, makeCatalogue } from '../support/fixtures';
import { keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

const SHOP = 'http://shop.example.test';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('what browsers and CDNs expect of the GraphQL endpoint', () => {
  let services: Services;
  let server: RunningServer;
  let key: string;
  let catalogue: Catalogue;
  beforeAll(async () => {
    services = testServices({ CORS_ORIGINS: `${SHOP}, http://other-shop.example.test` });
    server = await startTestServer(services);
    key = await keyFor(services, 'frontend');
    catalogue = await makeCatalogue(services, ns('http'));
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body: JSON.stringify(body) });

  describe('automatic persisted queries', () => {
    it('answers a hash it does not know with PERSISTED_QUERY_NOT_FOUND, then serves it by hash after registration, also as GET', async () => {
      const query = `query ProductTitle($id: ID!) { product(id: $id) { id title } }`;
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
      const variables = { id: catalogue.productIds[0] };

      const unknown = (await (await post({ extensions, variables })).json()) as { errors: { extensions: { code: string } }[] };
      expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

      const registered = (await (await post({ query, extensions, variables })).json()) as { data: unknown };
      expect(registered.data).toEqual({ product: { id: catalogue.productIds[0], title: expect.any(String) } });

      const byHash = (await (await post({ extensions, variables })).json()) as { data: unknown };
      expect(byHash.data).toEqual(registered.data);

      // A GET a CDN can cache: hash and variables in the URL; the header is Apollo's CSRF guard.
      const search = new URLSearchParams({ extensions: JSON.stringify(extensions), variables: JSON.stringify(variables) });
      const get = await fetch(`${server.url}?${search}`, { headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(200);
      expect(((await get.json()) as { data: unknown }).data).toEqual(registered.data);
      expect(get.headers.get('cache-control')).toBe('max-age=60, public');
    });

    it('refuses a query whose text does not match its hash', async () => {
      const res = (await (await post({ query: '{ categories { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } })).json()) as {
        errors: { message: string }[];
      };
      expect(res.errors[0].message).toMatch(/sha does not match/);
    });
  });

  describe('cache-control', () => {
    it('lets catalogue reads be cached, pages and categories included', async () => {
      const res = await post({ query: `{ products(first: 2) { totalCount edges { cursor node { id title categories { name } } } pageInfo { hasNextPage } } categories { id } }` });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      expect(res.headers.get('cache-control')).toBe('max-age=60, public');
    });

    it('marks personal data no-store, alone or beside catalogue data', async () => {
      const userId = ns('http-u');
      await services.catalog.upsertUsers([{ id: userId }]);
      const personal = await post({ query: `{ user(id: "${userId}") { id interactions(first: 2) { totalCount pageInfo { hasNextPage } } } }` });
      expect(((await personal.json()) as { errors?: unknown }).errors).toBeUndefined();
      expect(personal.headers.get('cache-control')).toBe('no-store');
      const mixed = await post({ query: `{ products(first: 1) { totalCount } recommendations(userId: "${userId}", first: 2) { recommendationId } }` });
      expect(mixed.headers.get('cache-control')).toBe('no-store');
      const write = await post({ query: 'mutation { recordInteractions(events: []) { accepted } }' });
      expect(write.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('CORS', () => {
    it('answers a preflight from a configured origin, without credentials by default', async () => {
      const res = await fetch(server.url, {
        method: 'OPTIONS',
        headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('names the allowed origin on the response itself, and no other origin', async () => {
      const allowed = await post({ query: '{ categories { id } }' }, { origin: SHOP });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(allowed.headers.get('vary')).toMatch(/origin/i);
      const other = await post({ query: '{ categories { id } }' }, { origin: 'http://evil.example.test' });
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(server.url, { method: 'OPTIONS', headers: { origin: 'http://evil.example.test', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sends no CORS headers when no origin is configured, and credentials only when configured', async () => {
      const plain = testServices();
      const credentialed = testServices({ CORS_ORIGINS: SHOP, CORS_ALLOW_CREDENTIALS: 'true' });
      const [plainServer, credentialedServer] = [await startTestServer(plain), await startTestServer(credentialed)];
      try {
        const preflight = { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } };
        expect((await fetch(plainServer.url, preflight)).headers.get('access-control-allow-origin')).toBeNull();
        const withCredentials = await fetch(credentialedServer.url, preflight);
        expect(withCredentials.headers.get('access-control-allow-origin')).toBe(SHOP);
        expect(withCredentials.headers.get('access-control-allow-credentials')).toBe('true');
      } finally {
        await plainServer.close();
        await credentialedServer.close();
        await plain.close();
        await credentialed.close();
      }
    });
  });
});
