/**
 * Page order: by (exact) score, ties by id, and later pages keyed by the previous page's last
 * item, so a deeper page answered by another source never repeats a product.
 */
import type { Candidate } from '../../../../src/services/recommendation/candidate-source';
import { rank } from '../../../../src/services/recommendation/ranking';

const c = (id: string, score: number, extra: Partial<Candidate> = {}): Candidate => ({ id, score, vector: null, product: null, ...extra });
const ids = (list: Candidate[]) => list.map((x) => x.id);

describe('rank', () => {
  const all = [c('d', 0.5), c('a', 0.9), c('c', 0.7), c('b', 0.7), c('e', 0.1)];

  it('orders by score, ties by id', () => {
    expect(ids(rank(all, 0, 10, null))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids(rank(all, 0, 2, null))).toEqual(['a', 'b']);
  });

  it('starts a later page after the previous page\'s last item, even when a source now finds more above it', () => {
    // Page 1 showed a, b (a search that missed c); page 2's source finds c too: it is not shown again.
    expect(ids(rank(all, 0, 10, { offset: 2, score: 0.7, id: 'b' }))).toEqual(['c', 'd', 'e']);
    expect(ids(rank([c('x', 0.95), ...all], 0, 10, { offset: 2, score: 0.7, id: 'b' }))).toEqual(['c', 'd', 'e']);
  });

  it('pages MMR orders by position', () => {
    expect(ids(rank(all, 0.5, 5, { offset: 3, score: 0, id: '' }))).toHaveLength(2);
  });
});
