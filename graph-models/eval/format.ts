import { ModelRun } from './harness';
import { EvaluationSplit } from './metrics';

interface Column {
  header: string;
  value(run: ModelRun, on: EvaluationSplit): string;
}

const metric = (name: 'recall' | 'ndcg' | 'hitRate' | 'coverage', label: string, k: number): Column => ({
  header: `${label}@${k}`,
  value: (run, on) => {
    const v = run[on][name][k];
    return v === undefined ? '-' : v.toFixed(4);
  },
});

export const DEFAULT_COLUMNS: Column[] = [
  metric('recall', 'Recall', 10),
  metric('recall', 'Recall', 20),
  metric('ndcg', 'NDCG', 10),
  metric('ndcg', 'NDCG', 20),
  metric('hitRate', 'HitRate', 20),
  metric('coverage', 'Coverage', 20),
  { header: 'fit s', value: (run) => run.fitSeconds.toFixed(1) },
  { header: 'epochs', value: (run) => (run.fit.epochs > 0 ? `${run.fit.bestEpoch ?? '-'}/${run.fit.epochs}` : '-') },
];

/** A fixed-width text table, one row per model, for the metrics on one split. */
export function formatTable(runs: ModelRun[], on: EvaluationSplit, columns: Column[] = DEFAULT_COLUMNS): string {
  const users = runs[0]?.[on].users ?? 0;
  const header = ['model', ...columns.map((c) => c.header)];
  const rows = runs.map((run) => [run.name, ...columns.map((c) => c.value(run, on))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `${on} (${users} users)`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/** Plain data for JSON output and for ModelVersion.metrics. */
export function runsToJson(runs: ModelRun[]): object {
  return runs.map((r) => ({
    name: r.name,
    fitSeconds: r.fitSeconds,
    fit: r.fit,
    validation: r.validation,
    test: r.test,
  }));
}
