/**
 * FoldInLists's side of a fold-in list: one query for the page of users, each user's vector
 * folded in from the events' items the artifact knows, and no list where the artifact does not
 * know a candidate. The repository and GAT are stubs; against
 * the real Neo4j see test/integration/serving-cache.test.ts.
 */
import type { ActiveModel, LoadedGat } from '../../../src/services/active-model.service';
import type { RecentItemRow, ScoredIdRow } from '../../../src/repositories/candidate.cypher';
import type { CandidateListRepository } from '../../../src/repositories/candidate-list.repository';
import { FoldInLists } from '../../../src/services/recommendation/serving-cache/fold-in-lists';
import type { GatRecommender } from '../../../graph-models';

const model: ActiveModel = { id: 'v1', slot: 'a', dim: 2, trainedAt: 1000, artifactDir: '/models/v1', listSize: 64, newProducts: 0 };
const vectors: Record<string, [number, number]> = { p1: [1, 0], p2: [0, 1], p3: [0.6, 0.8] };
const ids = Object.keys(vectors);

/** A GAT whose fold-in is the weighted sum of the items' vectors. */
const gat: LoadedGat = {
  model: {
    foldInUser: (items: number[], weights: number[]) =>
      Float32Array.from([0, 1], (d) => items.reduce((sum, item, i) => sum + vectors[ids[item]][d] * weights[i], 0)),
  } as unknown as GatRecommender,
  itemIndex: new Map(ids.map((id, i) => [id, i])),
  itemVector: (i) => Float32Array.from(vectors[ids[i]]),
};

const event = (productId: string, weight = 1): RecentItemRow => ({ productId, title: productId, type: 'VIEW', weight, at: 2000 });

function stubRepository(answer: Record<string, ScoredIdRow[]>) {
  const calls: { queries: { userId: string; vector: number[] }[]; k: number }[] = [];
  const repo = {
    foldInLists: async (_slot: string, search: { queries: { userId: string; vector: number[] }[]; k: number }) => {
      calls.push(search);
      return search.queries.map((q) => ({ id: q.userId, rows: answer[q.userId] ?? [] }));
    },
  } as unknown as CandidateListRepository;
  return { repo, calls };
}

describe('FoldInLists', () => {
  it('folds each user in from the items the artifact knows and searches the page in one query', async () => {
    const { repo, calls } = stubRepository({ u1: [['p3', 0.9], ['p2', 0.7]] });
    const lists = await new FoldInLists(repo, async () => gat).lists(model, [
      { id: 'u1', recent: [event('p1', 2), event('unknown')] },
      { id: 'u2', recent: [event('unknown')] },
    ]);
    // u2's only item is unknown to the artifact: no vector, so not searched.
    expect(calls).toEqual([{ queries: [{ userId: 'u1', vector: [2, 0] }], k: 64, maxExtra: 4000 }]);
    expect(lists.get('u1')).toEqual({ ids: ['p3', 'p2'], scores: [0.9, 0.7] });
    expect(lists.has('u2')).toBe(false);
  });

  it('gives no list to a user whose answer holds a product the artifact does not know, and none without an artifact', async () => {
    const { repo, calls } = stubRepository({ u1: [['p1', 0.9], ['new-product', 0.8]] });
    expect((await new FoldInLists(repo, async () => gat).lists(model, [{ id: 'u1', recent: [event('p2')] }])).size).toBe(0);
    expect((await new FoldInLists(repo, async () => null).lists(model, [{ id: 'u1', recent: [event('p2')] }])).size).toBe(0);
    expect(calls).toHaveLength(1);
  });
});
