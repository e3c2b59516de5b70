import { mean, sampleStandardDeviation } from 'simple-statistics';
import { ModelRun } from './harness';
import { EvaluationSplit } from './metrics';

type Metric = 'recall' | 'ndcg' | 'hitRate' | 'coverage';

const COLUMNS: Array<{ header: string; metric: Metric; k: number }> = [
  { header: 'Recall@20', metric: 'recall', k: 20 },
  { header: 'NDCG@20', metric: 'ndcg', k: 20 },
  { header: 'NDCG@10', metric: 'ndcg', k: 10 },
  { header: 'HitRate@20', metric: 'hitRate', k: 20 },
  { header: 'Coverage@20', metric: 'coverage', k: 20 },
];

/** "mean ± sample standard deviation" of one model's metric over seeds ("± -" for a single seed). */
function meanAndSpread(values: number[]): string {
  const spread = values.length > 1 ? sampleStandardDeviation(values).toFixed(4) : '-';
  return `${mean(values).toFixed(4)} ± ${spread}`;
}

/**
 * One row per model with each metric's mean and sample standard deviation over the runs of
 * several seeds (`runsBySeed[s]` = every model's run with seed s, same split). Models keep the
 * order of the first seed.
 */
export function formatSeedSummary(runsBySeed: ModelRun[][], on: EvaluationSplit): string {
  const names = (runsBySeed[0] ?? []).map((r) => r.name);
  const header = ['model', ...COLUMNS.map((c) => c.header)];
  const rows = names.map((name) => {
    const runs = runsBySeed.map((runs) => runs.find((r) => r.name === name)).filter((r): r is ModelRun => r !== undefined);
    return [name, ...COLUMNS.map((c) => meanAndSpread(runs.map((r) => r[on][c.metric][c.k] ?? 0)))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `${on}, mean ± standard deviation over ${runsBySeed.length} seed${runsBySeed.length === 1 ? '' : 's'}`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}
