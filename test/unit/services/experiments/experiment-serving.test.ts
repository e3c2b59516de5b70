/** ExperimentServing's decision from the running experiments it holds (the repository's rows given directly). */
import type { ExperimentRepository, ExperimentRow } from '../../../../src/repositories/experiment.repository';
import { bucketOf, pickByWeight } from '../../../../src/services/experiments/assignment';
import { ExperimentServing } from '../../../../src/services/experiments/experiment-serving';

const limits = { errorMargin: 0.02, latencyMargin: 0.5, minRequests: 200 };
const variant = (name: string, position: number, strategy: object, stopped = false) => ({
  name,
  position,
  weight: 1,
  strategy: JSON.stringify(strategy),
  stopped,
  stopReason: null,
  requests: 0,
  errors: 0,
  latency: [],
});
const row = (over: Partial<ExperimentRow> = {}): ExperimentRow => ({
  id: 'exp-u',
  name: 'x',
  status: 'RUNNING',
  statusReason: null,
  start: Date.now() - 1000,
  end: Date.now() + 60000,
  segmentIds: null,
  createdAt: '',
  variants: [variant('control', 0, {}), variant('B', 1, { diversity: 0.4 })],
  ...over,
});
function serving(rows: () => Promise<ExperimentRow[]>, audience: string[] = []): ExperimentServing {
  const repo = { running: rows, audience: async () => audience } as unknown as ExperimentRepository;
  return new ExperimentServing(repo, { refreshMs: 60000, flushMs: 60000, guardrails: limits });
}

describe('ExperimentServing.variantFor', () => {
  it('assigns by the hash and serves the variant’s pipeline options', async () => {
    const s = serving(async () => [row()]);
    for (let i = 0; i < 50; i++) {
      const userId = `user${i}`;
      const expected = ['control', 'B'][pickByWeight([1, 1], bucketOf('exp-u', userId))];
      const served = await s.variantFor(userId);
      expect(served).toEqual({ id: 'exp-u', variant: expected, fallback: false, options: expected === 'B' ? { diversity: 0.4 } : {} });
    }
  });

  it('enrols only the audience, and only within the window', async () => {
    const s = serving(async () => [row({ segmentIds: ['seg'] })], ['in']);
    expect(await s.variantFor('in')).not.toBeNull();
    expect(await s.variantFor('out')).toBeNull();
    expect(await serving(async () => [row({ start: Date.now() + 60000 })]).variantFor('in')).toBeNull();
  });

  it('serves a stopped variant’s users as the control', async () => {
    const s = serving(async () => [row({ variants: [variant('control', 0, { trendingOnly: true }), variant('B', 1, { diversity: 1 }, true)] })]);
    const user = Array.from({ length: 100 }, (_, i) => `u${i}`).find((u) => pickByWeight([1, 1], bucketOf('exp-u', u)) === 1)!;
    expect(await s.variantFor(user)).toEqual({ id: 'exp-u', variant: 'B', fallback: true, options: { sources: ['trending'] } });
  });

  it('enrols nobody, instead of failing requests, while the experiments cannot be read', async () => {
    const s = serving(async () => {
      throw new Error('Neo4j unavailable');
    });
    expect(await s.variantFor('u1')).toBeNull();
  });
});
