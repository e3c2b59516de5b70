/**
 * The one place reasons are decided: the recent item most similar to each page item in the
 * model's space (the vectors ModelVectors gives), popular ones, else the profile.
 */
import type { RecentItemRow } from '../../../../src/repositories/candidate.cypher';
import type { Candidate } from '../../../../src/services/recommendation/candidate-source';
import { Reasons } from '../../../../src/services/recommendation/reasons';
import type { TrendingProducts } from '../../../../src/services/recommendation/trending-products';

const vectors: Record<string, number[]> = { r1: [1, 0], r2: [0, 1], c1: [0.6, 0.8], c2: [0.9, 0.1], c3: [-1, -1] };
const known = new Map(Object.entries(vectors));
const trending = (popular: string[]) => ({ popularIds: async () => new Set(popular) }) as unknown as TrendingProducts;
const item = (id: string): Candidate => ({ id, score: 1, vector: null, product: null });
const recent: RecentItemRow[] = [
  { productId: 'r1', title: 'First', type: 'RATE', weight: 4, at: 2 },
  { productId: 'r2', title: 'Second', type: 'PURCHASE', weight: 5, at: 1 },
];

describe('Reasons', () => {
  it('names the most similar recent item, and nothing below the similarity bar', async () => {
    const reasons = await new Reasons(trending([])).explain({ page: [item('c1'), item('c2'), item('c3')], recent, strategy: 'MODEL', vectors: known });
    expect(reasons[0]).toEqual([{ kind: 'SIMILAR_TO_INTERACTED', text: 'because you bought "Second"', productId: 'r2' }]);
    expect(reasons[1]).toEqual([{ kind: 'SIMILAR_TO_INTERACTED', text: 'because you rated "First"', productId: 'r1' }]);
    expect(reasons[2]).toEqual([{ kind: 'MATCHES_PROFILE', text: 'matches your recent activity', productId: null }]);
  });

  it('adds popular right now for popular items, and trending now for a trending page', async () => {
    const popular = await new Reasons(trending(['c3'])).explain({ page: [item('c3')], recent, strategy: 'FOLD_IN', vectors: known });
    expect(popular[0]).toEqual([{ kind: 'POPULAR', text: 'popular right now', productId: null }]);
    const cold = await new Reasons(trending([])).explain({ page: [item('c1')], recent: [], strategy: 'TRENDING', vectors: new Map() });
    expect(cold[0]).toEqual([{ kind: 'POPULAR', text: 'trending now', productId: null }]);
  });
});
