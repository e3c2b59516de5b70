import * as path from 'node:path';
import type { Services } from '../../src/app';
import { DatasetLoader } from '../../src/pipeline/load-dataset';
import { readGenericCsv } from '../../seeds/readers/generic-csv.reader';
import { readGroupLens } from '../../seeds/readers/grouplens.reader';
import { generateSynthetic } from '../../seeds/synthetic/generate-synthetic';
import { prefixDataset } from '../support/fixtures';
import { ns, testServices } from '../support/runtime';

const FIXTURES = path.join(__dirname, '../fixtures');

describe('seeding a dataset into Neo4j', () => {
  let services: Services;
  beforeAll(() => {
    services = testServices();
  });
  afterAll(async () => {
    await services.db.close();
  });

  async function counts(userPrefix: string): Promise<{ users: number; events: number }> {
    const rows = await services.db.readOne<{ users: number; events: number }>(
      {
        name: 't',
        cypher: `MATCH (u:User) WHERE u.id STARTS WITH $p
                 RETURN count(u) AS users, sum(COUNT { (u)-[:INTERACTED]->() }) AS events`,
      },
      { p: userPrefix },
    );
    return rows[0];
  }

  it('loads the GroupLens layout with ratings as RATE events, and a second load adds nothing', async () => {
    const dataset = await readGroupLens(path.join(__dirname, '../fixtures/movielens-tiny'), { name: 'movielens-tiny' });
    const loader = new DatasetLoader(services.repositories, 7);
    const first = await loader.load(dataset);
    const afterFirst = await counts('ml-u');
    const second = await loader.load(dataset);
    expect(first.interactionsSent).toBe(dataset.interactions.length);
    expect(second.interactionsCreated).toBe(0);
    expect(await counts('ml-u')).toEqual(afterFirst);
    const rated = await services.db.readOne<{ type: string; rating: number; at: string }>({
      name: 't',
      cypher: `MATCH (:User {id: $u})-[r:INTERACTED {eventId: $e}]->(:Product {id: $p}) RETURN r.type AS type, r.rating AS rating, toString(r.at) AS at`,
    }, {
      u: dataset.interactions[0].userId,
      e: dataset.interactions[0].eventId,
      p: dataset.interactions[0].productId,
    });
    expect(rated).toEqual([{ type: dataset.interactions[0].type, rating: dataset.interactions[0].rating ?? null, at: new Date(dataset.interactions[0].at).toISOString().replace('.000Z', 'Z') }]);
  });

  it.each([
    ['ml-latest', () => readGroupLens(path.join(FIXTURES, 'movielens-tiny')), undefined],
    ['ml-100k', () => readGroupLens(path.join(FIXTURES, 'ml-100k-tiny')), ['ml-u186', { age: 39, gender: 'F', occupation: 'executive', zip: '00000' }]],
    ['ml-1m', () => readGroupLens(path.join(FIXTURES, 'ml-1m-tiny')), ['ml-u1', { age: 1, gender: 'F', occupation: 'K-12 student', zip: '48067' }]],
    ['generic CSV', () => readGenericCsv(path.join(FIXTURES, 'generic-csv')), ['u1', { age: 34, gender: 'F', occupation: 'engineer', zip: '10115' }]],
  ] as const)('loads the %s layout from its fixture, with user demographics where it has them', async (layout, read, demographic) => {
    const prefix = ns(`layout${layout.replace(/\W/g, '')}`);
    const dataset = prefixDataset(await read(), prefix);
    const report = await new DatasetLoader(services.repositories, 100).load(dataset);
    expect(report.interactionsCreated).toBe(dataset.interactions.length);
    expect(report.interactionsRejected).toBe(0);
    expect(await counts(prefix)).toEqual({ users: dataset.users.length, events: dataset.interactions.length });
    if (demographic) {
      const [userId, expected] = demographic;
      const rows = await services.db.readOne<Record<string, unknown>>(
        { name: 't', cypher: 'MATCH (u:User {id: $id}) RETURN u.age AS age, u.gender AS gender, u.occupation AS occupation, u.zip AS zip' },
        { id: `${prefix}${userId}` },
      );
      expect(rows).toEqual([expected]);
    }
  });

  it('loads a synthetic graph with its category tree and funnel events', async () => {
    const dataset = generateSynthetic({ users: 40, products: 30, events: 600, seed: 7, name: 'synthetic-it' });
    const report = await new DatasetLoader(services.repositories, 250).load(dataset);
    expect(report.interactionsSent).toBe(600);
    const tree = await services.db.readOne<{ n: number }>({
      name: 't',
      cypher: 'MATCH (:Product {id: $p})-[:IN_CATEGORY]->(:Category)-[:SUBCATEGORY_OF]->(root:Category) RETURN count(root) AS n',
    }, { p: dataset.products[0].id });
    expect(tree[0].n).toBeGreaterThan(0);
    const types = await services.db.readOne<{ type: string }>({
      name: 't',
      cypher: 'UNWIND $ids AS id MATCH ()-[r:INTERACTED {eventId: id}]->() RETURN DISTINCT r.type AS type',
    }, { ids: dataset.interactions.map((e) => e.eventId) });
    expect(types.map((t) => t.type)).toEqual(expect.arrayContaining(['VIEW', 'CLICK', 'CART', 'PURCHASE']));
  });
});
