import { ModelRun } from '../../../graph-models/eval/harness';
import { EvaluationResult } from '../../../graph-models/eval/metrics';
import { formatSeedSummary } from '../../../graph-models/eval/seed-summary';

function result(ndcg20: number): EvaluationResult {
  const at = { 10: ndcg20 / 2, 20: ndcg20 };
  return { on: 'test', users: 3, ks: [10, 20], recall: at, ndcg: at, hitRate: at, coverage: at, seconds: 0 };
}

const run = (name: string, ndcg20: number): ModelRun => ({
  name,
  fit: { epochs: 0, params: {} },
  fitSeconds: 0,
  validation: result(ndcg20),
  test: result(ndcg20),
});

describe('formatSeedSummary', () => {
  it('prints each model\'s mean and sample standard deviation over seeds', () => {
    const table = formatSeedSummary([[run('ease', 0.1), run('gat', 0.2)], [run('ease', 0.3), run('gat', 0.2)]], 'test');
    const lines = table.split('\n');
    expect(lines[0]).toBe('test, mean ± standard deviation over 2 seeds');
    // ease: mean 0.2, sample sd of {0.1, 0.3} = 0.1414
    expect(lines[3]).toMatch(/^ease\s+0\.2000 ± 0\.1414\s+0\.2000 ± 0\.1414/);
    expect(lines[4]).toMatch(/^gat\s+0\.2000 ± 0\.0000/);
  });
});
