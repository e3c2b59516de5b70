/**
 * Loads a prefixed synthetic shop and trains and publishes a small GAT on it alone (the snapshot is
 * scoped to the prefix), through the same services as `affinity train`: what other suites left in
 * the shared test database changes neither the model nor the time it takes. Suites that need an
 * active model call it once in beforeAll; products created under the prefix beforehand join the shop.
 */
import type { Services } from '../../src/app';
import { ModelVersionRepository } from '../../src/repositories/model-version.repository';
import { DatasetLoader } from '../../src/pipeline/load-dataset';
import { createPublisher } from '../../src/app';
import { trainingSnapshot } from '../../src/pipeline/training-snapshot';
import { TrainingService, TrainResult, TrainOptions } from '../../src/pipeline/train';
import type { Dataset } from '../../src/domain/records';
import { generateSynthetic } from '../../seeds/synthetic/generate-synthetic';
import type { SyntheticLocaleName } from '../../seeds/synthetic/locale';
import * as os from 'node:os';
import * as path from 'node:path';
import { prefixDataset } from './fixtures';

export async function trainedShop(
  services: Services,
  prefix: string,
  shape: { products?: number; extend?: (dataset: Dataset) => Dataset; train?: Partial<TrainOptions>; locale?: SyntheticLocaleName } = {},
): Promise<{ dataset: Dataset; result: TrainResult }> {
  const generated = prefixDataset(generateSynthetic({ users: 150, products: shape.products ?? 80, events: 6000, seed: 11, name: 'shop', locale: shape.locale }), prefix);
  const dataset = shape.extend ? shape.extend(generated) : generated;
  await new DatasetLoader(services.repositories, 2000).load(dataset);
  const versions = new ModelVersionRepository(services.db);
  const snapshotAt = await versions.clock();
  const snapshot = await trainingSnapshot(services, { idPrefix: prefix });
  const result = await new TrainingService(versions, createPublisher(services.db)).train(snapshot, {
    seed: 5,
    baselines: [],
    gat: { maxEpochs: 6, evalEvery: 3, patience: 2 },
    modelsDir: path.join(os.tmpdir(), 'affinity-test-models'),
    publish: true,
    maxSeconds: 60,
    log: () => undefined,
    snapshotAt,
    ...shape.train,
  });
  services.activeModel.invalidate();
  return { dataset, result };
}
