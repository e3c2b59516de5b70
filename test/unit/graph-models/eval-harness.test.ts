import { buildBipartite, buildCsr } from '../../../graph-models/data/csr';
import { interactionWeights } from '../../../graph-models/data/weights';
import { evaluate } from '../../../graph-models/eval/evaluate';
import { prepareData } from '../../../graph-models/eval/harness';
import { formatTable } from '../../../graph-models/eval/format';
import { snapshotFromDataset } from '../../../graph-models/data/from-dataset';
import { tinySnapshot } from './eval-fixtures';

describe('buildCsr', () => {
  it('merges duplicate pairs, summing weights, with sorted rows', () => {
    const csr = buildCsr({
      numRows: 2,
      rows: Int32Array.from([1, 0, 1, 1]),
      cols: Int32Array.from([3, 2, 1, 3]),
      weights: Float32Array.from([1, 2, 3, 4]),
    });
    expect(Array.from(csr.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(csr.indices)).toEqual([2, 1, 3]);
    expect(Array.from(csr.weights)).toEqual([2, 3, 5]);
  });

  it('builds the item->user side as the transpose of user->item', () => {
    const g = buildBipartite({
      numUsers: 2,
      numItems: 3,
      eventUser: Int32Array.from([0, 1, 1]),
      eventItem: Int32Array.from([2, 2, 0]),
      events: Int32Array.from([0, 1, 2]),
    });
    expect(Array.from(g.itemUsers.indptr)).toEqual([0, 1, 1, 3]);
    expect(Array.from(g.itemUsers.indices)).toEqual([1, 0, 1]);
  });
});

describe('interactionWeights', () => {
  it('weighs types and ratings, and halves weight per half-life of age', () => {
    const s = tinySnapshot(1, 3, [
      { user: 0, item: 0, time: 0, type: 'PURCHASE' },
      { user: 0, item: 1, time: 10, type: 'RATE', rating: 2 },
      { user: 0, item: 2, time: 20, type: 'CLICK' },
    ]);
    expect(Array.from(interactionWeights(s))).toEqual([5, 2, 2]);
    expect(Array.from(interactionWeights(s, { halfLifeMs: 10 }))).toEqual([1.25, 1, 2]);
  });
});

describe('evaluate', () => {
  // user 0: train 0,1 -> val 2 -> test 3 (3 events with 10%/20% would be 1/1/1; use 4 events)
  const s = tinySnapshot(1, 6, [
    { user: 0, item: 0, time: 1 },
    { user: 0, item: 1, time: 2 },
    { user: 0, item: 2, time: 3 },
    { user: 0, item: 3, time: 4 },
  ]);
  const data = prepareData(s, { split: { validationFraction: 0.25, testFraction: 0.25 } });
  // Scores favour known items, which must be masked: 0,1 (train) for validation; also 2 for test.
  const model = {
    scoreUsers(users: Int32Array, out: Float32Array): void {
      for (let b = 0; b < users.length; b++) out.set([10, 9, 1, 8, 7, 0], b * 6);
    },
  };

  it('ranks all items except the user\'s train items on validation', () => {
    const r = evaluate(model, data.split, { on: 'validation', ks: [1, 3] });
    // ranking after masking 0,1: 3, 4, 2, 5 -> relevant 2 at rank 2 (0-based)
    expect(r.users).toBe(1);
    expect(r.recall[1]).toBe(0);
    expect(r.recall[3]).toBe(1);
    expect(r.ndcg[3]).toBeCloseTo(1 / Math.log2(4));
    expect(r.coverage[3]).toBeCloseTo(3 / 6);
  });

  it('also masks validation items on test', () => {
    const r = evaluate(model, data.split, { on: 'test', ks: [1] });
    // ranking after masking 0,1,2: 3 first -> the test item
    expect(r.ndcg[1]).toBe(1);
    expect(r.hitRate[1]).toBe(1);
  });

  it('prints a table row per model', () => {
    const v = evaluate(model, data.split, { on: 'validation', ks: [10, 20] });
    const table = formatTable([{ name: 'fixed', fit: { epochs: 0, params: {} }, fitSeconds: 0, validation: v, test: v }], 'validation');
    expect(table).toContain('fixed');
    expect(table).toContain('NDCG@20');
  });
});

describe('snapshotFromDataset', () => {
  it('assigns dense ids, keeps the first copy of a re-sent event and builds item text', () => {
    const s = snapshotFromDataset({
      name: 't',
      users: [{ id: 'a' }],
      categories: [{ id: 'c1', name: 'Drama' }],
      products: [{ id: 'p1', title: 'Heat', categoryIds: ['c1'] }],
      interactions: [
        { eventId: 'e1', userId: 'a', productId: 'p1', type: 'RATE', at: 5, rating: 4 },
        { eventId: 'e1', userId: 'a', productId: 'p1', type: 'RATE', at: 9, rating: 1 },
        { eventId: 'e2', userId: 'b', productId: 'p2', type: 'PURCHASE', at: 7 },
      ],
    });
    expect(s.userIds).toEqual(['a', 'b']);
    expect(s.itemIds).toEqual(['p1', 'p2']);
    expect(Array.from(s.eventUser)).toEqual([0, 1]);
    expect(Array.from(s.eventRating)).toEqual([4, Number.NaN]);
    expect(s.itemText[0]).toBe('Heat Categories: Drama.');
    expect(s.itemCategories).toEqual([['c1'], []]);
  });
});
