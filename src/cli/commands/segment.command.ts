import type { Command } from 'commander';
import { formatEvaluation } from '../../ml/profile';
import { progressBar, withRuntime } from '../runtime';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

export function registerSegment(program: Command): void {
  program
    .command('segment')
    .description('k-means segments of the active model version (embeddings + RFM, k by silhouette), and train the profile model')
    .option('--min-k <n>', 'smallest k to try (default SEGMENT_MIN_K or 3)', positiveInt)
    .option('--max-k <n>', 'largest k to try (default SEGMENT_MAX_K or 10)', positiveInt)
    .option('--seed <n>', 'random seed', positiveInt, 42)
    .option('--window-days <n>', 'prediction window of the profile model (default: the span of the last 10% of events)', positiveInt)
    .option('--version <id>', 'model version to segment (default: the active one)')
    .option('--if-missing', 'do nothing when the active model version has segments already')
    .action(async (options: { minK?: number; maxK?: number; seed: number; windowDays?: number; version?: string; ifMissing?: boolean }) => {
      await withRuntime(async (rt) => {
        if (options.ifMissing) {
          const active = await rt.services.activeModel.current();
          if (active && (await rt.services.repositories.segments.servingVersion()) === active.id) {
            console.log('segment: the active model version has segments already (--if-missing)');
            return;
          }
        }
        const bars = new Map<string, ReturnType<typeof progressBar>>();
        const result = await rt.services.segmentation.run({
          versionId: options.version,
          minK: options.minK ?? rt.config.segments.minK,
          maxK: options.maxK ?? rt.config.segments.maxK,
          seed: options.seed,
          windowDays: options.windowDays,
          log: (line) => void process.stderr.write(`${line}\n`),
          onProgress: (stage, done, total) => {
            let bar = bars.get(stage);
            if (!bar) bars.set(stage, (bar = progressBar(stage)));
            bar.update(done, total);
            if (done >= total && !stage.startsWith('load')) bar.stop();
          },
        });
        for (const bar of bars.values()) bar.stop();
        console.log(`\nmodel version ${result.modelVersion}, run ${result.runId}: ${result.users} users, k=${result.k} (silhouette ${result.silhouette.toFixed(4)}), ${result.removed} old segments replaced`);
        console.log(`silhouette by k: ${result.scores.map((s) => `${s.k}=${s.silhouette.toFixed(4)}`).join(' ')}`);
        for (const s of result.segments) console.log(`  ${String(s.size).padStart(7)}  ${s.label}  (${s.id})`);
        console.log(`\nProfile model (time-based train / validation / test)\n${formatEvaluation(result.evaluation)}`);
        console.log(`profile model ${result.profileModelId} stored`);
      });
    });

  program
    .command('evaluate-profile')
    .description(
      'evaluate purchase propensity (AUC) and next category (top-3 accuracy) against their baselines: fit on earlier time windows, choose hyperparameters and the served predictor on a validation window, report once on the latest (test) windows',
    )
    .option('--seed <n>', 'random seed', positiveInt, 42)
    .option('--window-days <n>', 'prediction window (default: the span of the last 10% of events)', positiveInt)
    .option('--json', 'print JSON')
    .action(async (options: { seed: number; windowDays?: number; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const evaluation = await rt.services.profiles.evaluate({
          seed: options.seed,
          windowDays: options.windowDays,
          onProgress: (stage, done) => void process.stderr.write(`load ${stage}: ${done}\n`),
        });
        console.log(options.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(evaluation));
      });
    });
}
