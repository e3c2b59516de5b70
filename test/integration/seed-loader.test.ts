import * as path from 'node:path';
import type { Services } from '../../src/app';
import { DatasetLoader } from '../../src/pipeline/load-dataset';
import { readGroupLens } from '../../seeds/readers/grouplens.reader';
import { generateSynthetic } from '../../seeds/synthetic/generate-synthetic';
import { testServices } from '../support/runtime';

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
