/**
 * Read-your-writes across replicas: a request that wrote returns `extensions.bookmark`; the next
 * request sends it in x-affinity-bookmark, and its transactions wait for that commit on whichever
 * Neo4j member they run. Two servers with their own drivers stand in for two replicas.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { encodeBookmarks } from '../../src/db/request-bookmarks';
import { event } from '../support/fixtures';
import { keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { bookmark?: string };
}

describe('bookmarks (read-your-writes across replicas)', () => {
  let writer: Services;
  let reader: Services;
  let writeServer: RunningServer;
  let readServer: RunningServer;
  let key: string;
  let productId: string;

  beforeAll(async () => {
    writer = testServices({ SERVING_CACHE_USERS: '0' });
    reader = testServices({ SERVING_CACHE_USERS: '0' });
    [writeServer, readServer] = await Promise.all([startTestServer(writer), startTestServer(reader)]);
    key = await keyFor(writer, 'frontend');
    productId = `${ns('bm')}p`;
    await writer.repositories.products.upsert([{ id: productId, title: 'bookmarked product', categoryIds: [] }]);
  });
  afterAll(async () => {
    await Promise.all([writeServer.close(), readServer.close()]);
    await Promise.all([writer.close(), reader.close()]);
  });

  const post = async (url: string, query: string, variables: Record<string, unknown> = {}, bookmark?: string): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    if (bookmark !== undefined) headers['x-affinity-bookmark'] = bookmark;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, ...((await res.json()) as Omit<Answer, 'status'>) };
  };

  it('returns a bookmark for a write, none for a read, and the other replica reads the write with it', async () => {
    const p = ns('bm');
    const user = `${p}u`;
    const wrote = await post(writeServer.url, 'mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { accepted } }', {
      e: [event(p, 1, user, productId)],
    });
    expect(wrote.data).toEqual({ recordInteractions: { accepted: 1 } });
    expect(typeof wrote.extensions?.bookmark).toBe('string');

    const read = await post(readServer.url, `{ user(id: "${user}") { interactions(first: 5) { totalCount } } }`, {}, wrote.extensions!.bookmark);
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({ user: { interactions: { totalCount: 1 } } });
    expect(read.extensions?.bookmark).toBeUndefined();
  });

  it('refuses a token it did not issue with BAD_USER_INPUT, not a server error', async () => {
    const garbage = await post(readServer.url, '{ categories { id } }', {}, 'not a token');
    expect(garbage.status).toBe(400);
    expect(garbage.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const forged = await post(readServer.url, `{ product(id: "${productId}") { id } }`, {}, encodeBookmarks(['FB:not-a-bookmark']));
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
