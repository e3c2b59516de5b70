import type { Services } from '../../src/app';
import { ModelVersionRepository, Slot, SLOTS } from '../../src/repositories/model-version.repository';
import type { PublishService } from '../../src/pipeline/publish';
import { createPublisher } from '../../src/app';
import { makeCatalogue } from '../support/fixtures';
import { ns, testServices } from '../support/runtime';

describe('publishing a model version', () => {
  let services: Services;
  let versions: ModelVersionRepository;
  let publisher: PublishService;
  beforeAll(() => {
    services = testServices();
    versions = new ModelVersionRepository(services.db);
    publisher = createPublisher(services.db);
  });
  afterAll(async () => {
    await services.db.close();
  });

  const dim = 64;
  function embeddings(itemIds: string[], userIds: string[], seed: number) {
    const vec = (i: number): number[] => Array.from({ length: dim }, (_, d) => Math.sin(seed * 31 + i * 7 + d));
    return {
      dim,
      itemIds,
      userIds,
      items: Float32Array.from(itemIds.flatMap((_, i) => vec(i))),
      users: Float32Array.from(userIds.flatMap((_, i) => vec(100 + i))),
    };
  }

  async function vectorOf(productId: string, property: 'embedding' | 'embeddingAlt'): Promise<number[] | null> {
    const rows = await services.db.readOne<{ v: number[] | null }>({ name: 't', cypher: `MATCH (p:Product {id: $id}) RETURN p.${property} AS v` }, { id: productId });
    return rows[0].v;
  }

  it('flips the active version only after every embedding is written; a failed publish leaves the previous one serving', async () => {
    const prefix = ns('pub');
    const { productIds } = await makeCatalogue(services, prefix, 6);
    const userIds = [`${prefix}u1`, `${prefix}u2`];
    await services.catalog.upsertUsers(userIds.map((id) => ({ id })));

    const first = `${prefix}v1`;
    await versions.create({ id: first, dim, artifactDir: '/tmp', params: '{}', metrics: '{}' });
    const firstSlot = await publisher.publish(first, embeddings(productIds, userIds, 1), { batchSize: 2 });
    expect((await versions.active())?.id).toBe(first);
    const firstProperty = firstSlot === 'a' ? 'embedding' : 'embeddingAlt';
    const served = await vectorOf(productIds[0], firstProperty);
    expect(served).toHaveLength(dim);

    const second = `${prefix}v2`;
    await versions.create({ id: second, dim, artifactDir: '/tmp', params: '{}', metrics: '{}' });
    let batches = 0;
    await expect(
      publisher.publish(second, embeddings(productIds, userIds, 2), {
        batchSize: 2,
        onProgress: () => {
          if (++batches === 2) throw new Error('simulated crash mid-publish');
        },
      }),
    ).rejects.toThrow('simulated crash mid-publish');
    expect((await versions.active())?.id).toBe(first);
    expect((await versions.byId(second))?.status).toBe('failed');
    expect(await vectorOf(productIds[0], firstProperty)).toEqual(served);

    const secondSlot = await publisher.publish(second, embeddings(productIds, userIds, 2), { batchSize: 4 });
    expect(secondSlot).not.toBe(firstSlot);
    const active = await versions.active();
    expect(active).toMatchObject({ id: second, status: 'published', slot: secondSlot });
    expect((await versions.byId(first))?.active).toBe(false);

    // The new slot's vector index answers for the new embeddings.
    const index = secondSlot === 'a' ? 'product_embedding' : 'product_embedding_alt';
    const target = embeddings(productIds, userIds, 2).items.slice(3 * dim, 4 * dim);
    const hits = await services.db.readOne<{ id: string }>(
      { name: 't', cypher: 'CALL db.index.vector.queryNodes($index, 1, $v) YIELD node RETURN node.id AS id' },
      { index, v: Array.from(target) },
    );
    expect(hits[0].id).toBe(productIds[3]);

    // Each user got a candidate list from the new slot; clearing a slot removes its lists with its vectors.
    const listsOf = async (slot: Slot): Promise<(string[] | null)[]> =>
      (
        await services.db.readOne<{ ids: string[] | null }>(
          { name: 't', cypher: `UNWIND $userIds AS id MATCH (u:User {id: id}) RETURN u.${SLOTS[slot].lists.ids} AS ids ORDER BY id` },
          { userIds },
        )
      ).map((r) => r.ids);
    expect((await listsOf(secondSlot)).map((ids) => ids?.length)).toEqual([6, 6]);
    await versions.clearSlot('User', secondSlot);
    expect(await listsOf(secondSlot)).toEqual([null, null]);
  });
});
