/** Scoring predictors on a block, and the evaluation table `segment` and `evaluate-profile` print. */
import { rocAuc, topKAccuracy } from '../classification-metrics';
import type { Example } from './examples';
import type { CategoryView } from './features';
import { CategoryConfig, PropensityConfig, categoryProbabilities, rankBy, scorePropensity } from './fitting';
import type { CategoryFit, PropensityFit, Served } from './model';
import type { Block } from './origins';

const TOP_K = 3;

export interface BlockSummary {
  /** Origins (cutoffs), oldest first. */
  origins: number[];
  /** Label windows span (first origin, last origin + window]. */
  from: number;
  to: number;
  examples: number;
  positives: number;
  labelled: number;
}

export interface EvaluationRow {
  task: 'purchase propensity' | 'next category';
  predictor: string;
  kind: Served;
  metric: 'AUC' | 'top-3 accuracy';
  /** Fitted on train, scored on validation. */
  validation: number;
  /** Refitted on train + validation, scored on test. */
  test: number;
  validationRows: number;
  testRows: number;
  served: boolean;
}

export interface CandidateScore {
  task: EvaluationRow['task'];
  config: string;
  validation: number;
}

export interface Evaluation {
  dataEnd: number;
  windowDays: number;
  train: BlockSummary;
  validation: BlockSummary;
  test: BlockSummary;
  rows: EvaluationRow[];
  candidates: CandidateScore[];
  served: { propensity: Served; nextCategory: Served };
  protocol: string[];
}

export function summary(block: Block, window: number): BlockSummary {
  return {
    origins: block.origins,
    from: block.origins.length ? block.origins[0] : NaN,
    to: block.origins.length ? block.origins[block.origins.length - 1] + window : NaN,
    examples: block.pairs.length,
    positives: block.positives,
    labelled: block.labelled,
  };
}

export function propensityAuc(fit: PropensityFit | 'recency', names: string[], rows: readonly Example[]): number {
  const scores = rows.map((r) => (fit === 'recency' ? -r.recencyDays : scorePropensity(fit, names, r.features)));
  return rocAuc(scores, rows.map((r) => r.converted));
}

export function categoryScores(fit: CategoryFit | 'baseline', names: string[], rows: readonly Example[], blend?: number): { accuracy: number; logLoss: number } {
  const labelled = rows.filter((r) => r.next >= 0 && r.view);
  if (labelled.length === 0) return { accuracy: NaN, logLoss: NaN };
  const rankings: number[][] = [];
  let logLoss = 0;
  for (const r of labelled) {
    const view = r.view as CategoryView;
    if (fit === 'baseline') {
      rankings.push(view.baseline);
      continue;
    }
    const p = categoryProbabilities(fit, names, view, r.features, blend);
    rankings.push(rankBy(p, view.popularity));
    logLoss -= Math.log(Math.max(1e-12, p[r.next])) / labelled.length;
  }
  return { accuracy: topKAccuracy(rankings, labelled.map((r) => r.next), TOP_K), logLoss: fit === 'baseline' ? NaN : logLoss };
}

export function describePropensity(c: PropensityConfig): string {
  return `logistic regression [${c.featureSet}, L2 ${c.l2}${c.classWeighting ? ', class-weighted' : ''}]`;
}

export function describeCategory(c: CategoryConfig): string {
  return `conditional logit [${c.featureSet}, L2 ${c.l2}${c.blend < 1 ? `, blended ${c.blend} with own shares` : ''}]`;
}

export function row(
  task: EvaluationRow['task'],
  predictor: string,
  kind: Served,
  metric: EvaluationRow['metric'],
  validation: number,
  test: number,
  validationRows: number,
  testRows: number,
  served: boolean,
): EvaluationRow {
  return { task, predictor, kind, metric, validation, test, validationRows, testRows, served };
}

export function formatEvaluation(evaluation: Evaluation): string {
  const value = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(4));
  const header = ['task', 'predictor', 'metric', 'validation', 'test', 'val n', 'test n', 'served'];
  const body = evaluation.rows.map((r) => [r.task, r.predictor, r.metric, value(r.validation), value(r.test), String(r.validationRows), String(r.testRows), r.served ? 'SERVED' : '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [
    'Protocol:',
    ...evaluation.protocol.map((p) => `  - ${p}`),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `served: purchase propensity = ${evaluation.served.propensity}, next category = ${evaluation.served.nextCategory} (whichever won on validation)`,
  ].join('\n');
}
