import { evaluationRows } from '../../../src/services/exploration/exploration.service';
import { nodeKey, parseNodeKey } from '../../../src/services/exploration/graph-node-key';

describe('parseNodeKey', () => {
  it('splits the kind off at the first colon only', () => {
    expect(parseNodeKey('user:ml-u1')).toEqual({ label: 'User', id: 'ml-u1' });
    expect(parseNodeKey('Category:genre:drama')).toEqual({ label: 'Category', id: 'genre:drama' });
    expect(nodeKey({ label: 'Category', id: 'genre:drama' })).toBe('category:genre:drama');
  });

  it.each(['ml-u1', 'partner:p1', 'user:', ':x', ''])('refuses "%s" with BAD_USER_INPUT', (key) => {
    expect(() => parseNodeKey(key)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('evaluationRows', () => {
  it('turns the stored runs into rows per model and split', () => {
    const split = { users: 7, recall: { 10: 0.1, 20: 0.2 }, ndcg: { 10: 0.05 }, hitRate: { 20: 0.5 }, coverage: { 20: 0.3 } };
    const rows = evaluationRows(JSON.parse(JSON.stringify([{ name: 'gat', validation: split, test: split }])));
    expect(rows).toEqual([
      { model: 'gat', split: 'validation', users: 7, recallAt10: 0.1, recallAt20: 0.2, ndcgAt10: 0.05, ndcgAt20: null, hitRateAt20: 0.5, coverageAt20: 0.3 },
      { model: 'gat', split: 'test', users: 7, recallAt10: 0.1, recallAt20: 0.2, ndcgAt10: 0.05, ndcgAt20: null, hitRateAt20: 0.5, coverageAt20: 0.3 },
    ]);
  });

  it('gives no rows for metrics of another shape', () => {
    expect(evaluationRows(null)).toEqual([]);
    expect(evaluationRows({ auc: 0.7 })).toEqual([]);
    expect(evaluationRows([{ nope: 1 }])).toEqual([]);
  });
});
