/**
 * Introspection and the analyst page (/explore) per role, over HTTP: by default every caller may do
 * both (as before they were configurable); a server with INTROSPECTION_ROLES=analyst,admin and
 * EXPLORE_ROLES=analyst,admin refuses the others with FORBIDDEN / 403, and asks a browser without a
 * key for one (401 with a Basic challenge) while leaving every other operation as it was.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

const SCHEMA = '{ __schema { queryType { name } } }';
const TYPE = '{ __type(name: "Query") { name } }';

describe('introspection and /explore per role', () => {
  let open: Services;
  let closed: Services;
  let openServer: RunningServer;
  let closedServer: RunningServer;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    open = testServices();
    closed = testServices({ INTROSPECTION_ROLES: 'analyst, admin', EXPLORE_ROLES: 'analyst,admin' });
    [openServer, closedServer] = await Promise.all([startTestServer(open), startTestServer(closed)]);
    for (const role of ['frontend', 'analyst', 'admin'] as const) keys[role] = await keyFor(open, role);
    keys.partner = await keyFor(open, 'partner', `${ns('surface')}partner`);
  });
  afterAll(async () => {
    await Promise.all([openServer, closedServer].map((s) => s?.close()));
    await Promise.all([open, closed].map((s) => s?.close()));
  });

  const page = (server: RunningServer, headers: Record<string, string> = {}) => fetch(server.url.replace(/\/graphql$/, '/explore'), { headers });
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`analyst:${key}`).toString('base64')}` });

  it('lets every caller introspect and load /explore by default', async () => {
    for (const key of [undefined, keys.frontend, keys.partner, keys.analyst, keys.admin]) {
      const res = await gql<{ __schema: { queryType: { name: string } } }>(openServer.url, SCHEMA, {}, key);
      expect(res.status).toBe(200);
      expect(res.data?.__schema.queryType.name).toBe('Query');
    }
    expect((await page(openServer)).status).toBe(200);
  });

  it('refuses introspection to the roles left out, with FORBIDDEN, and answers it for those listed', async () => {
    for (const key of [undefined, keys.frontend, keys.partner]) {
      for (const query of [SCHEMA, TYPE]) {
        const res = await gql(closedServer.url, query, {}, key);
        expect(res.status).toBe(403);
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(res.data ?? null).toBeNull();
      }
    }
    for (const key of [keys.analyst, keys.admin]) {
      const res = await gql<{ __type: { name: string } }>(closedServer.url, TYPE, {}, key);
      expect(res.status).toBe(200);
      expect(res.data?.__type.name).toBe('Query');
    }
  });

  it('leaves other operations, and __typename, to a role refused introspection', async () => {
    const res = await gql<{ __typename: string; categories: unknown[] }>(closedServer.url, '{ __typename categories { id } }', {}, keys.frontend);
    expect(res.errors).toBeUndefined();
    expect(res.data?.__typename).toBe('Query');
    expect(Array.isArray(res.data?.categories)).toBe(true);
  });

  it('asks for a key on /explore (401, Basic challenge), refuses a role left out (403) and serves the listed ones', async () => {
    const anonymous = await page(closedServer);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="affinity explore"/);
    expect((await page(closedServer, basic('aff_not-a-key'))).status).toBe(401);
    expect((await page(closedServer, { authorization: `Bearer ${keys.frontend}` })).status).toBe(403);
    expect((await page(closedServer, basic(keys.partner))).status).toBe(403);
    for (const headers of [{ authorization: `Bearer ${keys.analyst}` }, { 'x-api-key': keys.admin }, basic(keys.analyst)]) {
      const res = await page(closedServer, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
  });
});

describe('INTROSPECTION_ROLES / EXPLORE_ROLES config', () => {
  it('refuses an unknown role name and takes none for nobody', () => {
    expect(() => testServices({ INTROSPECTION_ROLES: 'frontend,superuser' })).toThrow(/superuser/);
    const nobody = testServices({ EXPLORE_ROLES: 'none' });
    expect(nobody.config.surfaces.explore).toEqual([]);
    expect(nobody.config.surfaces.introspection).toEqual(['anonymous', 'frontend', 'partner', 'analyst', 'admin']);
    return nobody.close();
  });
});
