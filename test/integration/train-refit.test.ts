/**
 * `affinity train` selects on the temporal split, then refits on every event and serves the refit
 * (TrainingService against the real Neo4j): the stored evaluation says which model it describes,
 * and events after the snapshot are the ones folded in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { GatRecommender } from '../../graph-models';
import { ModelVersionRepository } from '../../src/repositories/model-version.repository';
import type { TrainResult } from '../../src/pipeline/train';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

describe('affinity train: select, then refit', () => {
  let services: Services;
  let result: TrainResult;
  let events: number;

  beforeAll(async () => {
    services = testServices();
    const trained = await trainedShop(services, ns('refit'));
    result = trained.result;
    events = new Set(trained.dataset.interactions.map((e) => e.eventId)).size;
  }, 600000);

  afterAll(async () => {
    await services?.close();
  });

  it('refits the selected epoch on every event and publishes the refit', async () => {
    const { training } = result;
    expect(training.served).toBe('refit');
    expect(training.selectedEpoch).toBeGreaterThan(0);
    expect(training.refitEpochs).toBe(training.selectedEpoch);
    expect(training.refitEvents).toBe(events);
    expect(training.selectionEvents).toBeLessThan(events);
    const saved = GatRecommender.load(result.artifactDir);
    expect(saved.options.validate).toBe(false);
    expect(saved.options.maxEpochs).toBe(training.selectedEpoch);
    expect(result.published).toBe(true);
  });

  it('stores which model the evaluation describes, readable through modelVersions', async () => {
    const stored = JSON.parse(fs.readFileSync(path.join(result.artifactDir, 'evaluation.json'), 'utf8')) as { training: { describes: string }; runs: unknown[] };
    expect(stored.training.describes).toMatch(/evaluation describes the selection run.*served model is its refit on all/);
    const [listed] = (await services.exploration.modelVersions(50)).filter((v) => v.id === result.versionId);
    expect(listed.training?.served).toBe('refit');
    expect(listed.training?.describes).toBe(result.training.describes);
    expect(listed.evaluation.length).toBeGreaterThan(0);
  });

  it('folds in events recorded after the snapshot, not after the version was created', async () => {
    const row = await new ModelVersionRepository(services.db).byId(result.versionId);
    expect(row?.snapshotAt).toBe(result.training.snapshotAt);
    expect(Date.parse(row?.createdAt ?? '')).toBeGreaterThan(row?.snapshotAt ?? Infinity);
    services.activeModel.invalidate();
    const active = await services.activeModel.current();
    expect(active?.id).toBe(result.versionId);
    expect(active?.trainedAt).toBe(result.training.snapshotAt);
  });
});
