/**
 * The hook every recommendation path calls (RecommendationService.recommend, and through it the
 * partner path): which running experiment variant serves a user. Running experiments and their
 * segment audiences are kept in memory (a RefreshingValue), so assignment is a hash and a few
 * comparisons, with no Neo4j round trip. Each served request is counted in memory (exposure,
 * latency, error) and flushed in batches; after each flush the guardrails judge the variants on
 * the counts every replica has added, and stop the ones that breach (their users fall back to control).
 */
import type { ExperimentRepository, ExperimentRow, ExposureWrite, ArmWrite } from '../../repositories/experiment.repository';
import { variantKey } from '../../repositories/experiment.repository';
import { RefreshingValue } from '../../shared/refreshing-value';
import type { PipelineOptions, ServedExperiment, VariantAssigner } from '../recommendation/types';
import { bucketOf, pickByWeight } from './assignment';
import { type GuardrailLimits, guardrailBreach, LATENCY_BUCKETS, latencyBucket } from './guardrails';
import { pipelineOptions, type ExperimentStrategy } from './strategy';

interface LiveExperiment {
  id: string;
  start: number;
  end: number;
  /** Null: every user. */
  audience: Set<string> | null;
  weights: number[];
  variants: { name: string; stopped: boolean; options: PipelineOptions }[];
}

export interface ExperimentServingOptions {
  /** How long the running experiments are kept before they are read again. */
  refreshMs: number;
  /** How often counts are written to Neo4j and the guardrails judged. */
  flushMs: number;
  guardrails: GuardrailLimits;
}

export class ExperimentServing implements VariantAssigner {
  private readonly live: RefreshingValue<LiveExperiment[]>;
  private exposures = new Map<string, ExposureWrite>();
  private arms = new Map<string, ArmWrite>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private log: (message: string) => void = () => undefined;

  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly options: ExperimentServingOptions,
  ) {
    // Requests never wait for a re-read once a list is held: while Neo4j is down the last list serves
    // (the serving cache may still answer from memory), and a change shows within refreshMs otherwise.
    this.live = new RefreshingValue(() => this.read(), options.refreshMs, Number.MAX_SAFE_INTEGER);
  }

  async variantFor(userId: string): Promise<ServedExperiment | null> {
    // Before the first read succeeds (Neo4j down at start) nobody is enrolled, rather than failing the request.
    const live = await this.live.get().catch(() => null);
    if (!live || live.length === 0) return null;
    const now = Date.now();
    // A user in several running experiments is served by the oldest that enrols them.
    for (const e of live) {
      if (now < e.start || now >= e.end || (e.audience && !e.audience.has(userId))) continue;
      const variant = e.variants[pickByWeight(e.weights, bucketOf(e.id, userId))];
      return variant.stopped
        ? { id: e.id, variant: variant.name, fallback: true, options: e.variants[0].options }
        : { id: e.id, variant: variant.name, fallback: false, options: variant.options };
    }
    return null;
  }

  served(experiment: ServedExperiment, userId: string, ms: number, failed: boolean): void {
    // A stopped variant's users are served as control and counted for neither.
    if (experiment.fallback) return;
    const now = Date.now();
    const exposureKey = `${experiment.id}\u0000${userId}`;
    const exposure = this.exposures.get(exposureKey);
    if (exposure) {
      exposure.count += 1;
      exposure.last = now;
    } else {
      this.exposures.set(exposureKey, { experimentId: experiment.id, userId, variant: experiment.variant, first: now, last: now, count: 1 });
    }
    const key = variantKey(experiment.id, experiment.variant);
    let arm = this.arms.get(key);
    if (!arm) this.arms.set(key, (arm = { key, requests: 0, errors: 0, latency: new Array<number>(LATENCY_BUCKETS).fill(0) }));
    arm.requests += 1;
    if (failed) arm.errors += 1;
    arm.latency[latencyBucket(ms)] += 1;
  }

  /** Starts the periodic flush (servers only). */
  start(log: (message: string) => void = () => undefined): void {
    this.log = log;
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch((error: unknown) => this.log(`experiments: flush failed: ${String(error)}`)), this.options.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch((error: unknown) => this.log(`experiments: last flush failed: ${String(error)}`));
  }

  /** Writes the counts gathered since the last flush, then judges the guardrails. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing = this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Running experiments are read afresh on the next request (after an admin change through this server). */
  invalidate(): void {
    this.live.invalidate();
  }

  private async write(): Promise<void> {
    const exposures = [...this.exposures.values()];
    const arms = [...this.arms.values()];
    this.exposures = new Map();
    this.arms = new Map();
    try {
      await this.experiments.recordExposures(exposures);
      await this.experiments.recordArms(arms);
    } catch (error) {
      // Kept for the next flush: Neo4j may be back by then.
      for (const e of exposures) if (!this.exposures.has(`${e.experimentId}\u0000${e.userId}`)) this.exposures.set(`${e.experimentId}\u0000${e.userId}`, e);
      for (const a of arms) this.mergeArm(a);
      throw error;
    }
    if (arms.length > 0) await this.judge();
  }

  private mergeArm(a: ArmWrite): void {
    const kept = this.arms.get(a.key);
    if (!kept) {
      this.arms.set(a.key, a);
      return;
    }
    kept.requests += a.requests;
    kept.errors += a.errors;
    a.latency.forEach((n, i) => (kept.latency[i] += n));
  }

  /** Stops every variant that breaches a guardrail against its experiment's control (the first variant). */
  async judge(): Promise<string[]> {
    const stopped: string[] = [];
    for (const e of await this.experiments.running()) {
      const [control, ...others] = e.variants;
      for (const v of others) {
        if (v.stopped) continue;
        const breach = guardrailBreach(v, control, this.options.guardrails);
        if (breach && (await this.experiments.stopVariant(e.id, v.name, `guardrail: ${breach}`))) {
          stopped.push(variantKey(e.id, v.name));
          this.log(`experiments: stopped ${e.id} variant ${v.name}: ${breach}`);
        }
      }
    }
    if (stopped.length > 0) this.invalidate();
    return stopped;
  }

  private async read(): Promise<LiveExperiment[]> {
    const rows = await this.experiments.running();
    return Promise.all(rows.map((row) => this.toLive(row)));
  }

  private async toLive(row: ExperimentRow): Promise<LiveExperiment> {
    return {
      id: row.id,
      start: row.start,
      end: row.end,
      audience: row.segmentIds ? new Set(await this.experiments.audience(row.segmentIds)) : null,
      weights: row.variants.map((v) => v.weight),
      variants: row.variants.map((v) => ({ name: v.name, stopped: v.stopped, options: pipelineOptions(JSON.parse(v.strategy) as ExperimentStrategy) })),
    };
  }
}
