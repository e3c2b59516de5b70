import type { Command } from 'commander';
import { createPublisher } from '../../app';
import { ModelVersionRepository } from '../../repositories/model-version.repository';
import { TrainerRepository } from '../../repositories/trainer.repository';
import { SnapshotService } from '../../pipeline/snapshot';
import { TrainingService } from '../../pipeline/train';
import { ContinuousTrainer } from '../../pipeline/trainer';
import type { Runtime } from '../runtime';
import { withRuntime } from '../runtime';
import { embedText } from './embed-text.command';

/** The continuous trainer over the runtime's database, configured by TRAINER_* (src/config.ts). */
export function createTrainer(rt: Runtime, log: (line: string) => void = (line) => rt.logger.info(line)): ContinuousTrainer {
  const versions = new ModelVersionRepository(rt.services.db);
  return new ContinuousTrainer(
    {
      versions,
      state: new TrainerRepository(rt.services.db),
      training: new TrainingService(versions, createPublisher(rt.services.db)),
      snapshot: async () => {
        await embedText(rt);
        return new SnapshotService(rt.services.repositories).build({ textDim: rt.config.embeddings.textDim });
      },
      log,
    },
    { ...rt.config.trainer, modelsDir: rt.config.models.dir, seed: 42, idPrefix: null, gat: {} },
  );
}

export function registerTrainer(program: Command): void {
  program
    .command('trainer')
    .description('retrain continuously: a cycle when TRAINER_MIN_NEW_EVENTS events arrived or every TRAINER_INTERVAL_MINUTES, one trainer per database, publishes only a candidate not worse than the active version')
    .option('--once', 'run one cycle now (if the lease is free) and exit')
    .action(async (options: { once?: boolean }) => {
      await withRuntime(async (rt) => {
        const trainer = createTrainer(rt, (line) => void process.stderr.write(`${line}\n`));
        if (options.once) {
          const outcome = await trainer.runCycle({ force: true });
          console.log(outcome.ran ? `trainer: ${outcome.cycle.decision}: ${outcome.cycle.reason}` : `trainer: no cycle (${outcome.reason})`);
          return;
        }
        trainer.start();
        await new Promise<void>((resolve) => {
          const stop = (): void => void trainer.stop().then(resolve);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
}
