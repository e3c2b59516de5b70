import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

const QUERY = '{ __typename }';

async function post(url: string, key: string): Promise<{ status: number; retryAfter: string | null; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as never };
}

describe('rate limit per API key', () => {
  let services: Services;
  let server: RunningServer;

  beforeAll(async () => {
    // A window long enough that no test run crosses it: two requests per key for most roles, one for partners.
    services = testServices({ RATE_LIMIT_POINTS: '2', RATE_LIMIT_PARTNER_POINTS: '1', RATE_LIMIT_DURATION_S: '600' });
    server = await startTestServer(services);
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  it('answers RATE_LIMITED with 429 and a retry-after once a key has spent its budget', async () => {
    const key = await keyFor(services, 'frontend');
    expect((await post(server.url, key)).body.data).toEqual({ __typename: 'Query' });
    expect((await post(server.url, key)).body.data).toEqual({ __typename: 'Query' });
    const limited = await post(server.url, key);
    expect(limited.status).toBe(429);
    expect(limited.body.data).toBeUndefined();
    const error = limited.body.errors?.[0];
    expect(error?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = error?.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(limited.retryAfter).toBe(String(retryAfter));
    expect(error?.message).toMatch(/retry after \d+ s/);
  });

  it('does not let one key spend another key’s budget', async () => {
    const [first, second] = await Promise.all([keyFor(services, 'admin'), keyFor(services, 'admin')]);
    await post(server.url, first);
    await post(server.url, first);
    expect((await post(server.url, first)).body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    const other = await gql(server.url, QUERY, {}, second);
    expect(other.status).toBe(200);
    expect(other.data).toEqual({ __typename: 'Query' });
  });

  it('applies the stricter partner budget to partner keys', async () => {
    const key = await keyFor(services, 'partner', ns('partner'));
    expect((await post(server.url, key)).status).toBe(200);
    const limited = await post(server.url, key);
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  });
});
