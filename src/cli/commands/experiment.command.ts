import type { Command } from 'commander';
import { BadInputError } from '../../errors';
import { ModelVersionRepository } from '../../repositories/model-version.repository';
import { REPLAY_METRICS, type ReplayResult, type ReplayVariant, replayExperiment } from '../../pipeline/replay-experiment';
import type { Interval } from '../../services/experiments/statistics/interval';
import { checkStrategy, type ExperimentStrategy } from '../../services/experiments/strategy';
import { withRuntime } from '../runtime';
import { snapshotOf } from './train.command';

const STRATEGY_HELP = 'active, model:<version>, trending, diversity:<0..1>, sources:<a>><b>';

/**
 * `name=part+part,...`: the same strategy options an experiment variant takes, e.g.
 * `control=active,B=trending,C=model:gat-20261201-abc123`. The first variant is the control.
 */
export function parseReplayVariants(spec: string): ReplayVariant[] {
  return spec.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new BadInputError(`variant "${entry}": write name=strategy (strategies: ${STRATEGY_HELP})`);
    const name = entry.slice(0, eq).trim();
    const strategy: ExperimentStrategy = {};
    for (const part of entry.slice(eq + 1).split('+').map((p) => p.trim())) {
      const [kind, ...rest] = part.split(':');
      const value = rest.join(':');
      if (kind === 'active' && !value) continue;
      else if (kind === 'trending' && !value) strategy.trendingOnly = true;
      else if (kind === 'model' && value) strategy.modelVersion = value;
      else if (kind === 'diversity' && value) strategy.diversity = Number(value);
      else if (kind === 'sources' && value) strategy.sourceOrder = value.split('>');
      else throw new BadInputError(`variant "${name}": unknown strategy "${part}" (use ${STRATEGY_HELP})`);
    }
    return { name, strategy };
  });
}

function interval(i: Interval, digits = 4): string {
  return `${i.estimate.toFixed(digits)} [${i.low.toFixed(digits)}, ${i.high.toFixed(digits)}]`;
}

function signed(i: Interval): string {
  const s = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(4)}`;
  return `${s(i.estimate)} [${s(i.low)}, ${s(i.high)}]`;
}

export function formatReplay(result: ReplayResult): string {
  const names = { hitRate: 'HitRate', ndcg: 'NDCG', recall: 'Recall' } as const;
  const header = ['variant', 'replayed as', ...REPLAY_METRICS.map((m) => `${names[m]}@${result.k} (95% CI)`), ...REPLAY_METRICS.map((m) => `Δ ${names[m]} vs control`)];
  const rows = result.variants.map((v) => [
    v.name,
    v.model,
    ...REPLAY_METRICS.map((m) => interval(v.metrics[m])),
    ...REPLAY_METRICS.map((m) => (v.versusControl ? signed(v.versusControl[m]) : 'control')),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [
    `held-out period: ${result.users} users ranked (full ranking, items they had before excluded)`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

export function registerExperiment(program: Command): void {
  const experiment = program.command('experiment').description('experiments on recommendations');
  experiment
    .command('replay')
    .description('evaluate variant strategies on the held-out period of the logged events (the training harness) before going live')
    .requiredOption('--variants <list>', `name=strategy pairs, the first is the control; strategy parts joined by "+" (${STRATEGY_HELP})`)
    .option('--k <n>', 'cut-off of the ranked list', (v) => Number(v), 20)
    .option('--seed <n>', 'random seed', (v) => Number(v), 42)
    .option('--max-seconds <n>', 'training budget per refitted model', (v) => Number(v), 600)
    .option('--eval-users <n>', 'rank only this many held-out users (evenly strided); default all', (v) => Number(v))
    .option('--json', 'print JSON instead of the table')
    .action(async (options: { variants: string; k: number; seed: number; maxSeconds: number; evalUsers?: number; json?: boolean }) => {
      const variants = parseReplayVariants(options.variants);
      await withRuntime(async (rt) => {
        const sources = rt.services.recommendations.sourceNames();
        for (const v of variants) checkStrategy(v.name, v.strategy, sources);
        const { snapshot } = await snapshotOf(rt);
        const result = await replayExperiment(snapshot, variants, new ModelVersionRepository(rt.services.db), {
          k: options.k,
          seed: options.seed,
          maxSeconds: options.maxSeconds,
          evaluationUsers: options.evalUsers,
          log: (line) => void process.stderr.write(`${line}\n`),
        });
        console.log(options.json ? JSON.stringify(result, null, 2) : formatReplay(result));
      });
    });
}
