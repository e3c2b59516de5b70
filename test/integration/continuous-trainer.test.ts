/**
 * The continuous trainer against the real Neo4j: it refuses a deliberately broken candidate and
 * keeps the active version, records every cycle on the candidate version (modelVersions shows
 * them), runs only under its lease, takes over a dead trainer's expired lease, and publishes a
 * candidate within the margin; /metrics reports the last success.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { createPublisher } from '../../src/app';
import { ModelVersionRepository } from '../../src/repositories/model-version.repository';
import { TrainerRepository } from '../../src/repositories/trainer.repository';
import { SnapshotService } from '../../src/pipeline/snapshot';
import { TrainingService } from '../../src/pipeline/train';
import { ContinuousTrainer, TrainerSettings } from '../../src/pipeline/trainer';
import { registry, setTrainerStatusSource } from '../../src/observability/metrics';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

describe('ContinuousTrainer', () => {
  let services: Services;
  let prefix: string;
  let activeId: string;
  let versions: ModelVersionRepository;
  let state: TrainerRepository;

  const trainer = (settings: Partial<TrainerSettings>): ContinuousTrainer =>
    new ContinuousTrainer(
      {
        versions,
        state,
        training: new TrainingService(versions, createPublisher(services.db)),
        snapshot: () => new SnapshotService(services.repositories).build({ textDim: services.config.embeddings.textDim, idPrefix: prefix }),
        log: () => undefined,
      },
      {
        minNewEvents: 1_000_000,
        intervalMinutes: 0,
        pollSeconds: 60,
        leaseSeconds: 30,
        margin: 0.005,
        maxSeconds: 60,
        modelsDir: path.join(os.tmpdir(), 'affinity-test-models'),
        seed: 5,
        idPrefix: prefix,
        gat: { maxEpochs: 6, evalEvery: 3, patience: 2 },
        ...settings,
      },
    );

  beforeAll(async () => {
    services = testServices();
    prefix = ns('trainer');
    versions = new ModelVersionRepository(services.db);
    state = new TrainerRepository(services.db);
    activeId = (await trainedShop(services, prefix)).result.versionId;
  }, 600000);

  afterAll(async () => {
    await services?.close();
  });

  it('refuses a broken candidate, keeps the active version and records the cycle on the candidate', async () => {
    // Learning rate 0: the candidate keeps its random initial parameters.
    const outcome = await trainer({ gat: { maxEpochs: 2, evalEvery: 1, patience: 1, learningRate: 0 } }).runCycle({ force: true });
    if (!outcome.ran) throw new Error(`no cycle: ${outcome.reason}`);
    const { cycle } = outcome;
    expect(cycle.decision).toBe('kept');
    expect(cycle.reason).toMatch(/worse, keep the active version/);
    expect(cycle.candidateNdcg20 ?? 1).toBeLessThan((cycle.activeNdcg20 ?? 0) - 0.005);
    expect(cycle.activeVersion).toBe(activeId);
    expect((await versions.active())?.id).toBe(activeId);
    expect((await versions.byId(cycle.candidateVersion ?? ''))?.status).toBe('refused');

    const listed = (await services.exploration.modelVersions(100)).find((v) => v.id === cycle.candidateVersion);
    expect(listed?.cycles).toHaveLength(1);
    expect(listed?.cycles[0]).toMatchObject({ id: cycle.id, decision: 'kept', trigger: 'forced', activeVersion: activeId });
    expect(listed?.cycles[0].seconds).toBeGreaterThan(0);
  });

  it('runs no cycle when too few events arrived and no schedule is due', async () => {
    expect(await trainer({}).runCycle()).toEqual({ ran: false, reason: 'nothing due' });
  });

  it('runs no cycle while another trainer holds the lease', async () => {
    const scope = `trainer:${prefix}`;
    expect(await state.acquire(scope, 'other-trainer', 60_000)).toBe(true);
    expect(await trainer({}).runCycle({ force: true })).toEqual({ ran: false, reason: 'another trainer holds the lease' });
    await state.release(scope, 'other-trainer');
  });

  it('takes over a dead trainer\'s expired lease and publishes a candidate within the margin', async () => {
    const scope = `trainer:${prefix}`;
    expect(await state.acquire(scope, 'dead-trainer', 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A margin of 1 accepts any candidate: this exercises the publish path, not the comparison.
    const t = trainer({ margin: 1 });
    const outcome = await t.runCycle({ force: true });
    if (!outcome.ran) throw new Error(`no cycle: ${outcome.reason}`);
    expect(outcome.cycle.decision).toBe('published');
    expect((await versions.active())?.id).toBe(outcome.cycle.candidateVersion);
    const published = await versions.byId(outcome.cycle.candidateVersion ?? '');
    expect(JSON.parse(published?.training ?? '{}')).toMatchObject({ served: 'refit' });

    setTrainerStatusSource(() => state.lastCycle(t.scope, ['published', 'kept']));
    const metrics = await registry.metrics();
    const at = Number(/^affinity_trainer_last_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
    const seconds = Number(/^affinity_trainer_last_success_duration_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(at).toBeCloseTo(outcome.cycle.endedAt / 1000, 0);
    expect(seconds).toBeCloseTo((outcome.cycle.endedAt - outcome.cycle.startedAt) / 1000, 0);
  });
});
