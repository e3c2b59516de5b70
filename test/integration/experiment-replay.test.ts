/**
 * `affinity experiment replay` against the real Neo4j: the synthetic shop (Zipf-like popularity,
 * 150 users, 80 products), a GAT trained and published on it with the test budget of 6 epochs, then
 * variants replayed on the held-out period through the training harness. On this shop such a small
 * GAT does not reach popularity (first run: NDCG@20 0.17 vs 0.31, paired difference +0.14
 * [+0.06, +0.23]), so trending only is the better strategy and the difference vs the model (the
 * control) must be positive, matching the gap between the two variants' means.
 */
import type { Services } from '../../src/app';
import type { GraphSnapshot } from '../../graph-models';
import { formatReplay, parseReplayVariants } from '../../src/cli/commands/experiment.command';
import { replayExperiment, type ReplayResult } from '../../src/pipeline/replay-experiment';
import { trainingSnapshot } from '../../src/pipeline/training-snapshot';
import { ModelVersionRepository } from '../../src/repositories/model-version.repository';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

describe('experiment replay on the held-out period', () => {
  let services: Services;
  let versions: ModelVersionRepository;
  let snapshot: GraphSnapshot;
  let versionId: string;
  let result: ReplayResult;
  const logged: string[] = [];

  beforeAll(async () => {
    services = testServices();
    versions = new ModelVersionRepository(services.db);
    const prefix = ns('replay');
    const trained = await trainedShop(services, prefix);
    versionId = trained.result.versionId;
    snapshot = await trainingSnapshot(services, { idPrefix: prefix });
    result = await replayExperiment(snapshot, parseReplayVariants(`model=model:${versionId},trending=trending,again=model:${versionId},diverse=model:${versionId}+diversity:0.9`), versions, {
      seed: 5,
      maxSeconds: 60,
      log: (line) => logged.push(line),
    });
  }, 600000);

  afterAll(async () => {
    await services?.close();
  });

  it('ranks trending only above the small model, and the difference vs control is positive', () => {
    const [model, trending] = result.variants;
    expect(result.users).toBeGreaterThan(10);
    expect(model.model).toBe(`gat ${versionId}`);
    expect(trending.model).toBe('popularity');
    expect(trending.metrics.ndcg.estimate).toBeGreaterThan(model.metrics.ndcg.estimate);
    expect(trending.metrics.hitRate.estimate).toBeGreaterThan(model.metrics.hitRate.estimate);
    expect(model.versusControl).toBeNull();
    // Paired over the same users: the mean difference is the difference of the means.
    expect(trending.versusControl?.ndcg.estimate).toBeCloseTo(trending.metrics.ndcg.estimate - model.metrics.ndcg.estimate, 9);
    expect(trending.versusControl?.ndcg.low).toBeGreaterThan(0);
  });

  it('gives every metric an interval around its estimate, over the same held-out users', () => {
    for (const v of result.variants) {
      expect(v.users).toBe(result.users);
      for (const i of Object.values(v.metrics)) {
        expect(i.low).toBeLessThanOrEqual(i.estimate);
        expect(i.high).toBeGreaterThanOrEqual(i.estimate);
        expect(i.high).toBeGreaterThan(i.low);
      }
    }
    // A variant with the control's strategy is fitted once and differs from it by nothing.
    expect(result.variants[2].versusControl?.ndcg).toEqual({ estimate: 0, low: 0, high: 0 });
  });

  it('re-ranks a diversity variant by MMR over the same refitted model, changing its lists', () => {
    const [model, , , diverse] = result.variants;
    expect(diverse.model).toBe(`gat ${versionId} + MMR 0.9`);
    // Same seed, same data: the same scores, so any difference comes from the re-ranking.
    expect(diverse.metrics.ndcg.estimate).not.toBe(model.metrics.ndcg.estimate);
  });

  it('reports progress per fitted model and prints a table row per variant', () => {
    expect(logged.filter((l) => l.includes('fitting on the earlier events'))).toHaveLength(3);
    expect(logged.some((l) => l.startsWith('[trending: popularity] ranking the held-out period'))).toBe(true);
    const table = formatReplay(result);
    expect(table).toMatch(/^model\s+gat .*control/m);
    expect(table).toMatch(/^trending\s+popularity\s+.*\+0\.\d{4} \[\+0\.\d{4}, \+0\.\d{4}\]/m);
  });

  it('refuses unknown model versions and strategies it cannot replay, naming the variant', async () => {
    const run = (spec: string) => replayExperiment(snapshot, parseReplayVariants(spec), versions, { seed: 5, maxSeconds: 5, log: () => undefined });
    await expect(run('a=trending,b=model:gat-nope')).rejects.toThrow('variant "b": unknown model version "gat-nope"');
    await expect(run('a=trending,b=sources:exact-scan>trending')).rejects.toThrow(/variant "b": a candidate source order cannot be replayed offline/);
    await expect(run('a=active,b=trending+diversity:0.5')).rejects.toThrow('variant "b": trending only has no vectors to diversify with');
    await expect(run('a=trending,a=trending')).rejects.toThrow('variant names must be distinct');
    expect(() => parseReplayVariants('a=trending,b=fancy')).toThrow('variant "b": unknown strategy "fancy"');
    expect(() => parseReplayVariants('trending')).toThrow(/write name=strategy/);
  });
});
