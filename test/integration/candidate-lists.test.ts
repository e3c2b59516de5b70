/**
 * The candidate lists publish stores per user (CandidateListService) against the real Neo4j: they
 * answer as the vector index does, leave out the user's products, and stop serving when a product
 * is embedded after publish or when filters leave a list short.
 */
import type { Services } from '../../src/app';
import type { ActiveModel } from '../../src/services/active-model.service';
import { ModelVersionRepository, SLOTS } from '../../src/repositories/model-version.repository';
import { CandidateListService } from '../../src/pipeline/build-candidate-lists';
import type { CandidateFilter } from '../../src/repositories/candidate.cypher';
import { CandidateListRepository } from '../../src/repositories/candidate-list.repository';
import { makeCatalogue } from '../support/fixtures';
import { MAX_NEW_PRODUCTS } from '../../src/services/recommendation/limits';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

describe('candidate lists stored at publish', () => {
  let services: Services;
  let repo: CandidateListRepository;
  let model: ActiveModel;
  let users: string[];

  beforeAll(async () => {
    services = testServices();
    // Products nobody touched, so every user's list has more candidates than it keeps (a full list).
    const prefix = ns('lists');
    await makeCatalogue(services, `${prefix}extra-`, 80);
    const { dataset } = await trainedShop(services, prefix);
    const active = await services.activeModel.current();
    if (!active) throw new Error('no active model after training');
    model = active;
    repo = new CandidateListRepository(services.db);
    users = [...new Set(dataset.interactions.map((e) => e.userId))].slice(0, 8);
  }, 600000);

  afterAll(async () => {
    await services?.close();
  });

  const filter = (userId: string, overrides: Partial<CandidateFilter> = {}): CandidateFilter => ({
    userId,
    excludeInteracted: true,
    inStockOnly: false,
    categoryIds: null,
    minPrice: null,
    maxPrice: null,
    excludeIds: [],
    productIds: null,
    ...overrides,
  });
  const personal = (userId: string, useLists: boolean, overrides: Partial<CandidateFilter> = {}) =>
    repo.personal(
      model.slot,
      { userId, modelId: model.id, useLists, since: model.trainedAt, recentLimit: 20, k: 52, maxExtra: 200, limit: 21, withVectors: false },
      filter(userId, overrides),
    );

  it('answers a published user from the list with what the index search answers', async () => {
    for (const userId of users) {
      const listed = await personal(userId, true);
      const searched = await personal(userId, false);
      expect(listed?.fromList).toBe(true);
      expect(searched?.fromList).toBe(false);
      expect(listed?.candidates).toHaveLength(searched?.candidates.length ?? -1);
      // The index is approximate and was asked for a different k; on a catalogue this small it is exact.
      expect(listed?.candidates.slice(0, 10).map((c) => c.id)).toEqual(searched?.candidates.slice(0, 10).map((c) => c.id));
      const byId = new Map(searched?.candidates.map((c) => [c.id, c]));
      for (const c of listed?.candidates ?? []) {
        const twin = byId.get(c.id);
        if (!twin) continue;
        expect(c.score).toBeCloseTo(twin.score, 5);
        expect(c.product.title).toBe(twin.product.title);
      }
    }
  });

  it('leaves out the products the user interacted with', async () => {
    const { lists } = SLOTS[model.slot];
    for (const userId of users) {
      const [row] = await services.db.readOne<{ listed: string[]; seen: string[] }>(
        {
          name: 'test.listAndSeen',
          cypher: `MATCH (u:User {id: $userId}) RETURN u.${lists.ids} AS listed, COLLECT { MATCH (u)-[:INTERACTED]->(p) RETURN p.id } AS seen`,
        },
        { userId },
      );
      expect(row.listed.length).toBeGreaterThan(0);
      expect(row.listed.filter((id) => row.seen.includes(id))).toEqual([]);
    }
  });

  it('falls back to the index when filters leave fewer allowed products in a full list than the page needs', async () => {
    const userId = users[0];
    const { lists } = SLOTS[model.slot];
    const [row] = await services.db.readOne<{ listed: string[] }>(
      { name: 'test.list', cypher: `MATCH (u:User {id: $userId}) RETURN u.${lists.ids} AS listed` },
      { userId },
    );
    expect(row.listed).toHaveLength(64);
    const excluded = row.listed.slice(0, 50);
    const result = await personal(userId, true, { excludeIds: excluded });
    expect(result?.fromList).toBe(false);
    expect(result?.candidates).toHaveLength(21);
    expect(result?.candidates.filter((c) => excluded.includes(c.id))).toEqual([]);
  });

  it('merges a product embedded after publish into the lists by its score', async () => {
    const userId = users[1];
    const property = SLOTS[model.slot].property;
    const [{ vector }] = await services.db.readOne<{ vector: number[] }>(
      { name: 'test.userVector', cypher: `MATCH (u:User {id: $userId}) RETURN u.${property} AS vector` },
      { userId },
    );
    // Added through the API (embedded from its text), then placed on the user's own vector: it must rank first.
    const { productIds } = await makeCatalogue(services, ns('lists-new'), 1);
    await services.repositories.products.writeProductVector(model.slot, productIds[0], vector, MAX_NEW_PRODUCTS);
    const listed = await personal(userId, true);
    const searched = await personal(userId, false);
    expect(listed?.fromList).toBe(true);
    expect(listed?.candidates[0].id).toBe(productIds[0]);
    expect(listed?.candidates[0].score).toBeCloseTo(1, 5);
    expect(listed?.candidates.slice(0, 10).map((c) => c.id)).toEqual(searched?.candidates.slice(0, 10).map((c) => c.id));
  });

  it(`stops serving lists once more than ${MAX_NEW_PRODUCTS} products were embedded after publish`, async () => {
    const userId = users[2];
    expect((await personal(userId, true))?.fromList).toBe(true);
    const [{ noted }] = await services.db.readOne<{ noted: number }>(
      { name: 'test.noted', cypher: 'MATCH (m:ModelVersion {id: $id}) RETURN size(coalesce(m.newProductIds, [])) AS noted' },
      { id: model.id },
    );
    // Products added through the catalogue are embedded from their text into the active slot, each noted on the version.
    await makeCatalogue(services, ns('lists-many'), MAX_NEW_PRODUCTS - noted);
    expect((await personal(userId, true))?.fromList).toBe(true);
    await makeCatalogue(services, ns('lists-one-more'), 1);
    const after = await personal(userId, true);
    expect(after?.fromList).toBe(false);
    expect(after?.candidates.length).toBeGreaterThan(0);
  });

  it('recomputing a version\'s lists starts it with no products noted and the lists serving again', async () => {
    // The test before left more than MAX_NEW_PRODUCTS noted and the lists switched off.
    const versionState = async () =>
      (
        await services.db.readOne<{ size: number | null; newIds: string[] | null }>(
          { name: 'test.versionLists', cypher: 'MATCH (m:ModelVersion {id: $id}) RETURN m.candidateListSize AS size, m.newProductIds AS newIds' },
          { id: model.id },
        )
      )[0];
    expect((await versionState()).size).toBeNull();
    const versions = new ModelVersionRepository(services.db);
    await new CandidateListService(repo, versions).materialise(model.id, model.slot, users);
    expect(await versionState()).toEqual({ size: 64, newIds: null });
    expect((await personal(users[2], true))?.fromList).toBe(true);
  });
});
