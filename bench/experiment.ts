/**
 * A simulated two-week experiment on a synthetic population, through the same assignment
 * (assignment.ts) and report statistics (comparison.ts) the server uses:
 *  - power: variant B truly converts `--lift` (5%) better; the share of `--replays` (200) seeded
 *    replays whose CUPED conversion lift interval excludes 0 (target ≥ 80%);
 *  - false positives: no true difference; the share that still reports a significant lift (≤ 5%);
 *    and for both the share the always-valid sequential p-value (< 0.05) flags.
 * Members have a lognormal activity level; their pre-period events (CUPED's covariate) and their
 * conversion probability both follow it. The sample size per arm is the one a two-sided 5% test
 * needs for 90% power after CUPED's variance reduction (measured on a pilot), unless `--users` is given.
 *
 * With `--requests N` (> 0) it also measures, against the configured Neo4j, what assignment adds to
 * a recommendation request: it starts a two-variant experiment for every user (both variants serve
 * as the default does), asks recommendations for users with and without the experiment, alternating,
 * and stops the experiment. Run it alone on a bench database; other experiments would be affected.
 *
 *   npm run build && node dist/bench/experiment.js [--replays 200 --lift 0.05 --base 0.1 --users 0 --seed 1 --requests 0]
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { SeededRandom } from '../graph-models';
import { createServices } from '../src/app';
import { loadConfig } from '../src/config';
import { bucketOf, pickByWeight } from '../src/services/experiments/assignment';
import { compare, type GroupInput, type MemberOutcome } from '../src/services/experiments/comparison';
import { cuped } from '../src/services/experiments/statistics/cuped';
import { excludesZero, zFor } from '../src/services/experiments/statistics/interval';
import { arg, percentile, printTable } from './support/process';

/** Days of pre-period activity counted per member (the experiment's two weeks). */
const PRE_DAYS = 14;
const ACTIVITY_SIGMA = 0.8;
const MEAN_ACTIVITY = Math.exp((ACTIVITY_SIGMA * ACTIVITY_SIGMA) / 2);

function poisson(random: SeededRandom, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k += 1;
    p *= random.next();
  }
  return k;
}

/** One member: activity level, pre-period events, and whether they convert in the window. */
function member(random: SeededRandom, base: number, lift: number): MemberOutcome {
  const activity = Math.exp(ACTIVITY_SIGMA * random.normal());
  const p = Math.min(0.95, (base * activity) / MEAN_ACTIVITY) * (1 + lift);
  const converted = random.next() < p;
  return { converted, revenue: converted ? 20 + 40 * random.next() : 0, clicks: 0, exposures: 1, pre: poisson(random, (activity * PRE_DAYS) / 7) };
}

/** One replay: `users` members split by the real hash into A and B; B converts `lift` better. */
function replay(seed: number, users: number, base: number, lift: number): { found: boolean; sequential: boolean; srm: boolean } {
  const random = new SeededRandom(seed);
  const groups: GroupInput[] = [
    { name: 'A', weight: 1, members: [] },
    { name: 'B', weight: 1, members: [] },
  ];
  const experimentId = `bench-${seed}`;
  for (let i = 0; i < users; i++) {
    const arm = pickByWeight([1, 1], bucketOf(experimentId, `u${i}`));
    groups[arm].members.push(member(random, base, arm === 1 ? lift : 0));
  }
  const comparison = compare(groups);
  const b = comparison.groups[1].versusControl!;
  const interval = b.cupedConversionLift;
  return { found: interval !== null && excludesZero(interval), sequential: b.sequentialPValue < 0.05, srm: comparison.sampleRatio.mismatch };
}

/** Members per arm for a two-sided 5% test with 90% power on the CUPED-adjusted conversion. */
function sampleSize(base: number, lift: number, seed: number): { perArm: number; varianceReduction: number } {
  const random = new SeededRandom(seed ^ 0x5eed);
  const pilot = Array.from({ length: 50000 }, () => member(random, base, 0));
  const { varianceReduction } = cuped([{ metric: pilot.map((m) => (m.converted ? 1 : 0)), covariate: pilot.map((m) => m.pre) }]);
  const p = pilot.filter((m) => m.converted).length / pilot.length;
  const z = zFor(0.95) + zFor(0.8); // zFor(0.8) is the one-sided 90% quantile
  return { perArm: Math.ceil((z * z * 2 * p * (1 - p) * (1 - varianceReduction)) / (p * lift) ** 2), varianceReduction };
}

async function assignmentCost(requests: number): Promise<void> {
  const services = createServices(loadConfig());
  let experimentId: string | undefined;
  try {
    const users = (await services.db.readOne<{ id: string }>({ name: 'bench.experimentUsers', cypher: `MATCH (u:User) WHERE EXISTS { (u)-[:INTERACTED]->() } RETURN u.id AS id LIMIT 500` })).map((r) => r.id);
    if (users.length === 0) throw new Error('no users with events in the configured database');
    experimentId = (
      await services.experiments.create({
        name: 'bench: assignment cost',
        variants: [
          { name: 'A', weight: 1, strategy: {} },
          { name: 'B', weight: 1, strategy: {} },
        ],
        end: Date.now() + 3600_000,
      })
    ).id;
    const ask = async (userId: string, withExperiment: boolean): Promise<number> => {
      const t = performance.now();
      await services.recommendations.recommend({ userId, first: 20, ...(withExperiment ? {} : { experiment: null }) });
      return performance.now() - t;
    };
    for (let i = 0; i < Math.min(200, requests); i++) await ask(users[i % users.length], i % 2 === 0);
    const withMs: number[] = [];
    const withoutMs: number[] = [];
    for (let i = 0; i < requests; i++) {
      const userId = users[i % users.length];
      // Alternating, so drift on a shared machine hits both alike.
      if (i % 2 === 0) withMs.push(await ask(userId, true));
      else withoutMs.push(await ask(userId, false));
    }
    const assignUs: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const t = performance.now();
      await services.experimentServing.variantFor(users[i % users.length]);
      assignUs.push((performance.now() - t) * 1000);
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const [w, wo, a] = [sorted(withMs), sorted(withoutMs), sorted(assignUs)];
    printTable('Assignment cost per recommendation request (services in-process, no HTTP)', [
      { run: 'without experiment', requests: wo.length, 'p50 ms': percentile(wo, 50).toFixed(3), 'p99 ms': percentile(wo, 99).toFixed(3) },
      { run: 'with experiment', requests: w.length, 'p50 ms': percentile(w, 50).toFixed(3), 'p99 ms': percentile(w, 99).toFixed(3) },
      { run: 'added p50 (target ≤ 0.2 ms)', requests: '', 'p50 ms': (percentile(w, 50) - percentile(wo, 50)).toFixed(3), 'p99 ms': '' },
      { run: 'variantFor alone', requests: a.length, 'p50 ms': (percentile(a, 50) / 1000).toFixed(4), 'p99 ms': (percentile(a, 99) / 1000).toFixed(4) },
    ]);
  } finally {
    if (experimentId) await services.experiments.end(experimentId, 'STOP', 'bench finished').catch(() => undefined);
    await services.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const replays = arg(argv, '--replays', 200);
  const lift = arg(argv, '--lift', 0.05);
  const base = arg(argv, '--base', 0.1);
  const seed = arg(argv, '--seed', 1);
  const requests = arg(argv, '--requests', 0);
  const planned = sampleSize(base, lift, seed);
  const perArm = arg(argv, '--users', 0) || planned.perArm;
  console.log(
    `base conversion ${base}, true lift ${lift}, CUPED variance reduction on a pilot ${(planned.varianceReduction * 100).toFixed(1)}%, ` +
      `${perArm} members per arm (${2 * perArm} in all), ${replays} replays each`,
  );
  const rows: Record<string, string | number>[] = [];
  for (const [label, trueLift] of [
    ['B converts better', lift],
    ['no difference', 0],
  ] as const) {
    let found = 0;
    let sequential = 0;
    let srm = 0;
    const started = performance.now();
    for (let r = 0; r < replays; r++) {
      const result = replay(seed * 100003 + r + (trueLift === 0 ? 50000 : 0), 2 * perArm, base, trueLift);
      found += result.found ? 1 : 0;
      sequential += result.sequential ? 1 : 0;
      srm += result.srm ? 1 : 0;
    }
    rows.push({
      scenario: label,
      'true lift': trueLift,
      'significant (CUPED interval excludes 0)': `${((100 * found) / replays).toFixed(1)}%`,
      'sequential p < 0.05': `${((100 * sequential) / replays).toFixed(1)}%`,
      'SRM flagged': `${((100 * srm) / replays).toFixed(1)}%`,
      target: trueLift === 0 ? '≤ 5%' : '≥ 80%',
      seconds: ((performance.now() - started) / 1000).toFixed(1),
    });
  }
  printTable('Simulated two-week experiment', rows);
  if (requests > 0) await assignmentCost(requests);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
