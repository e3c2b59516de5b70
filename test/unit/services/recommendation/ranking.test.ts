/**
 * Page order: candidates from any source scored again with the model's vectors, ties by id, and
 * later pages keyed by the previous page's last item, so a deeper page answered by another source
 * never repeats a product.
 */
import type { Candidate } from '../../../../src/services/recommendation/candidate-source';
import { rank, rescore } from '../../../../src/services/recommendation/ranking';

const c = (id: string, score: number, extra: Partial<Candidate> = {}): Candidate => ({ id, score, vector: null, product: null, ...extra });
const ids = (list: Candidate[]) => list.map((x) => x.id);

describe('rescore', () => {
  it('gives every source the same score for the same product: (1 + cos) / 2 of the model vectors', () => {
    const vectors = new Map([
      ['a', [1, 0]],
      ['b', [0, 1]],
    ]);
    const scored = rescore([c('a', 0.123), c('b', 0.9), c('unknown', 0.4), c('fill', 0.0005, { popularFill: true })], [1, 0], vectors);
    expect(scored.map((x) => x.score)).toEqual([1, 0.5, 0.4, 0.0005]);
    expect(rescore([c('a', 0.1)], null, vectors)[0].score).toBe(0.1);
  });
});

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
