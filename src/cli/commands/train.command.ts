import type { Command } from 'commander';
import { formatTable, runsToJson, prepareData, runModels, GatRecommender } from '../../../graph-models';
import { ModelVersionRepository } from '../../repositories/model-version.repository';
import { createPublisher } from '../../app';
import { trainingSnapshot } from '../../pipeline/training-snapshot';
import { BASELINES, baselinesFor, TrainingService } from '../../pipeline/train';
import type { Runtime } from '../runtime';
import { progressBar, withRuntime } from '../runtime';
import { activeEncoderMatch, embedTextSummary } from './embed-text.command';

/** Encodes missing product text, then snapshots the graph; progress on stderr (stdout may be --json). */
export async function snapshotOf(rt: Runtime) {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const bar = progressBar('embed-text');
  // Taken before reading: an event recorded while the snapshot streams is folded in at serving time.
  const snapshotAt = await new ModelVersionRepository(rt.services.db).clock();
  const snapshot = await trainingSnapshot(rt.services, {
    onEncodeProgress: (done, total) => bar.update(done, total),
    onEncoded: (report) => {
      bar.stop();
      log(embedTextSummary(report));
    },
    onSnapshotProgress: (p) => log(`snapshot ${p.stage}: ${p.done}`),
  });
  log(`snapshot: ${snapshot.userIds.length} users, ${snapshot.itemIds.length} products, ${snapshot.eventUser.length} events`);
  return { snapshot, snapshotAt };
}

function baselineList(value: string): string[] {
  if (value === 'none') return [];
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) if (!(BASELINES as readonly string[]).includes(n)) throw new Error(`Unknown baseline "${n}"; use ${BASELINES.join(', ')} or none`);
  return names;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('embed product text, fit the GAT and the baselines on a temporal split, print the table, save and publish')
    .option('--seed <n>', 'random seed', (v) => Number(v), 42)
    .option('--baselines <list>', `comma-separated baselines or "none" (${BASELINES.join(',')})`, BASELINES.join(','))
    .option('--max-seconds <n>', 'training budget per model', (v) => Number(v), 600)
    .option('--no-publish', 'save the version without publishing it')
    .option('--no-refit', 'serve the selection run (fitted on the temporal split\'s train events) instead of refitting on all events')
    .option('--if-missing', 'do nothing when a model version is already active')
    .option('--eval-users <n>', 'rank only this many users (evenly strided) in the final tables; default all', (v) => Number(v))
    .action(async (options: { seed: number; baselines: string; maxSeconds: number; publish: boolean; ifMissing?: boolean; evalUsers?: number; refit: boolean }) => {
      await withRuntime(async (rt) => {
        const versions = new ModelVersionRepository(rt.services.db);
        if (options.ifMissing && (await versions.active())) {
          const match = await activeEncoderMatch(rt);
          console.log('train: a model version is active already (--if-missing)');
          if (match.problem) console.log(`train: ${match.problem}; run "affinity train" without --if-missing to retrain with ${match.configured}`);
          return;
        }
        const before = await activeEncoderMatch(rt);
        if (before.problem) process.stderr.write(`train: ${before.problem}, until this run publishes a model trained on ${before.configured}'s vectors\n`);
        const { snapshot, snapshotAt } = await snapshotOf(rt);
        const trainer = new TrainingService(versions, createPublisher(rt.services.db));
        let stop = false;
        const onSigint = (): void => {
          if (stop) process.exit(130);
          stop = true;
          process.stderr.write('\nstopping after this epoch and keeping the best checkpoint (Ctrl-C again to abort)\n');
        };
        process.on('SIGINT', onSigint);
        const result = await trainer.train(snapshot, {
          stopRequested: () => stop,
          evaluationUsers: options.evalUsers,
          seed: options.seed,
          baselines: baselineList(options.baselines),
          gat: {},
          modelsDir: rt.config.models.dir,
          publish: options.publish,
          refit: options.refit,
          snapshotAt,
          maxSeconds: options.maxSeconds,
          log: (line) => void process.stderr.write(`${line}\n`),
        });
        console.log(`\nValidation\n${result.validationTable}\n\nTest\n${result.testTable}\n\n${result.training.describes}\n`);
        console.log(`model version ${result.versionId} ${result.published ? 'published and active' : 'saved (not published)'}; artifact ${result.artifactDir}`);
        if (!result.published && before.problem) {
          console.log(`train: ${before.problem}; "affinity publish --version ${result.versionId}" serves this run's model, trained on ${before.configured}'s vectors`);
        }
      });
    });

  program
    .command('evaluate')
    .description('run the evaluation harness (GAT and baselines, temporal split, full ranking) and print the table; encodes missing product text first')
    .option('--seed <n>', 'random seed', (v) => Number(v), 42)
    .option('--baselines <list>', 'comma-separated baselines or "none"', BASELINES.join(','))
    .option('--max-seconds <n>', 'training budget per model', (v) => Number(v), 600)
    .option('--json', 'print JSON instead of tables')
    .action(async (options: { seed: number; baselines: string; maxSeconds: number; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const { snapshot } = await snapshotOf(rt);
        const models = [new GatRecommender({ maxSeconds: options.maxSeconds }), ...baselinesFor(baselineList(options.baselines), snapshot, options.maxSeconds)];
        const runs = await runModels(models, prepareData(snapshot),
          { seed: options.seed, log: (line) => void process.stderr.write(`${line}\n`) },
        );
        if (options.json) console.log(JSON.stringify(runsToJson(runs), null, 2));
        else console.log(`\nValidation\n${formatTable(runs, 'validation')}\n\nTest\n${formatTable(runs, 'test')}`);
      });
    });
}
