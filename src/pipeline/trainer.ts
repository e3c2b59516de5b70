/**
 * The continuous trainer (`affinity trainer`, `serve --trainer`): retrains when enough new events
 * arrived since the active version's snapshot, or on a schedule, under a lease in Neo4j (one
 * trainer per database; an expired lease is taken over). Each cycle selects a candidate on the
 * temporal split as `affinity train` does, compares it with the active version on the same recent
 * held-out window (each user's latest 20%, users both models know), and only if it is not worse
 * by more than the margin refits it on all events and publishes it (atomically, see publish.ts).
 * Every cycle is recorded on its candidate version (TrainerCycle).
 *
 * The active version may have been fitted on part of that window (it was refitted on every event
 * up to its snapshot), which favours it: the gate errs towards keeping what serves.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { GatRecommender, embeddingScorer, evaluate } from '../../graph-models';
import type { GatOptions, GraphSnapshot, PreparedData } from '../../graph-models';
import type { Config } from '../config';
import type { ModelVersionRepository, ModelVersionRow } from '../repositories/model-version.repository';
import type { TrainerCycleRecord, TrainerRepository } from '../repositories/trainer.repository';
import type { TrainingRecord } from '../domain/training-record';
import type { GateDecision, TrainingService } from './train';

export interface TrainerSettings extends Omit<Config['trainer'], 'serve'> {
  modelsDir: string;
  seed: number;
  /** Train on the users and products whose ids start with this (a shop inside a shared database); whole graph when null. */
  idPrefix: string | null;
  /** GAT settings for candidates (tests break a candidate on purpose with these). */
  gat: Partial<GatOptions>;
}

export interface TrainerDeps {
  versions: ModelVersionRepository;
  state: TrainerRepository;
  training: TrainingService;
  /** Reads the snapshot (embedding new product text first, as `affinity train` does). */
  snapshot: () => Promise<GraphSnapshot>;
  log: (line: string) => void;
}

export type CycleOutcome =
  | { ran: false; reason: string }
  | { ran: true; cycle: TrainerCycleRecord };

interface Comparison extends GateDecision {
  candidateNdcg20: number | null;
  activeNdcg20: number | null;
  candidateRecall20: number | null;
  activeRecall20: number | null;
  windowUsers: number | null;
}

export class ContinuousTrainer {
  readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly scope: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CycleOutcome> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: TrainerDeps,
    private readonly settings: TrainerSettings,
  ) {
    this.scope = settings.idPrefix ? `trainer:${settings.idPrefix}` : 'trainer';
  }

  /** Checks every pollSeconds and runs a cycle when one is due, until stop(). */
  start(): void {
    this.stopped = false;
    const tick = (): void => {
      if (this.stopped) return;
      this.running = this.runCycle();
      this.running
        .catch((error: unknown) => this.deps.log(`trainer: ${String(error)}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.settings.pollSeconds * 1000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Why a cycle is due now, or null. */
  async due(): Promise<{ trigger: string; newEvents: number; active: ModelVersionRow | undefined } | null> {
    const active = await this.deps.versions.active();
    const events = await this.deps.state.eventCount(this.settings.idPrefix);
    const record = parseTraining(active?.training ?? null);
    const newEvents = events - (record?.snapshotEvents ?? 0);
    if (!active) return { trigger: 'no active version', newEvents, active };
    if (newEvents >= this.settings.minNewEvents) return { trigger: `${newEvents} new events (≥ ${this.settings.minNewEvents})`, newEvents, active };
    if (this.settings.intervalMinutes > 0) {
      const last = await this.deps.state.lastCycle(this.scope);
      const since = last ? Date.parse(last.startedAt) : Date.parse(active.createdAt);
      if (Date.now() - since >= this.settings.intervalMinutes * 60_000) return { trigger: `schedule (every ${this.settings.intervalMinutes} min)`, newEvents, active };
    }
    return null;
  }

  /** One cycle if this trainer holds (or takes over) the lease and one is due (or `force`). */
  async runCycle(opts: { force?: boolean } = {}): Promise<CycleOutcome> {
    const leaseMs = this.settings.leaseSeconds * 1000;
    if (!(await this.deps.state.acquire(this.scope, this.owner, leaseMs))) return { ran: false, reason: 'another trainer holds the lease' };
    let lost = false;
    const heartbeat = setInterval(() => {
      this.deps.state.acquire(this.scope, this.owner, leaseMs).then(
        (held) => (lost ||= !held),
        () => undefined, // Neo4j unreachable for a beat: the lease may still be ours; checked again before publishing.
      );
    }, leaseMs / 3);
    try {
      const due = await this.due();
      const trigger = due?.trigger ?? (opts.force ? 'forced' : null);
      if (!trigger) return { ran: false, reason: 'nothing due' };
      return { ran: true, cycle: await this.cycle(trigger, due?.newEvents ?? 0, () => lost) };
    } finally {
      clearInterval(heartbeat);
      await this.deps.state.release(this.scope, this.owner).catch(() => undefined);
    }
  }

  private async cycle(trigger: string, newEvents: number, leaseLost: () => boolean): Promise<TrainerCycleRecord> {
    const startedAt = Date.now();
    const { log } = this.deps;
    log(`trainer: cycle started (${trigger})`);
    const base = { id: `cycle-${new Date(startedAt).toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`, owner: this.owner, scope: this.scope, startedAt, newEvents, trigger };
    let comparison: Comparison | undefined;
    const active = await this.deps.versions.active();
    try {
      const snapshotAt = await this.deps.versions.clock();
      const snapshot = await this.deps.snapshot();
      const result = await this.deps.training.train(snapshot, {
        seed: this.settings.seed,
        baselines: [],
        gat: this.settings.gat,
        modelsDir: this.settings.modelsDir,
        publish: true,
        maxSeconds: this.settings.maxSeconds,
        snapshotAt,
        stopRequested: () => this.stopped,
        log: (line) => log(`trainer: ${line}`),
        gate: async ({ model, data }) => {
          comparison = await this.compare({ model, data, snapshot, active });
          // Checked last: the lease must still be ours when the decision to publish is taken.
          if (comparison.publish && (leaseLost() || !(await this.deps.state.acquire(this.scope, this.owner, this.settings.leaseSeconds * 1000)))) {
            comparison = { ...comparison, publish: false, reason: `lease lost to another trainer; ${comparison.reason}` };
          }
          return comparison;
        },
      });
      const cycle: TrainerCycleRecord = {
        ...base,
        endedAt: Date.now(),
        events: snapshot.eventUser.length,
        decision: result.published ? 'published' : 'kept',
        reason: comparison?.reason ?? (result.published ? 'published' : 'not published (stopped)'),
        candidateNdcg20: comparison?.candidateNdcg20 ?? null,
        activeNdcg20: comparison?.activeNdcg20 ?? null,
        candidateRecall20: comparison?.candidateRecall20 ?? null,
        activeRecall20: comparison?.activeRecall20 ?? null,
        windowUsers: comparison?.windowUsers ?? null,
        candidateVersion: result.versionId,
        activeVersion: active?.id ?? null,
      };
      await this.deps.state.recordCycle(cycle);
      log(`trainer: cycle ${cycle.decision} ${result.versionId} in ${((cycle.endedAt - startedAt) / 1000).toFixed(1)} s: ${cycle.reason}`);
      return cycle;
    } catch (error) {
      const cycle: TrainerCycleRecord = {
        ...base,
        endedAt: Date.now(),
        events: 0,
        decision: 'failed',
        reason: error instanceof Error ? error.message : String(error),
        candidateNdcg20: comparison?.candidateNdcg20 ?? null,
        activeNdcg20: comparison?.activeNdcg20 ?? null,
        candidateRecall20: comparison?.candidateRecall20 ?? null,
        activeRecall20: comparison?.activeRecall20 ?? null,
        windowUsers: comparison?.windowUsers ?? null,
        candidateVersion: null,
        activeVersion: active?.id ?? null,
      };
      await this.deps.state.recordCycle(cycle).catch(() => undefined);
      log(`trainer: cycle failed: ${cycle.reason}`);
      return cycle;
    }
  }

  /** Candidate (selection run) against the active version on the candidate's test window. */
  private async compare(input: {
    model: GatRecommender;
    data: PreparedData;
    snapshot: GraphSnapshot;
    active: ModelVersionRow | undefined;
  }): Promise<Comparison> {
    const { model, data, snapshot, active } = input;
    const none = { activeNdcg20: null, activeRecall20: null };
    if (!active) {
      const c = evaluate(model, data.split, { on: 'test', ks: [20] });
      return { publish: true, reason: 'no active version to compare with', candidateNdcg20: c.ndcg[20], candidateRecall20: c.recall[20], windowUsers: c.users, ...none };
    }
    if (!active.artifactDir || !fs.existsSync(path.join(active.artifactDir, 'metadata.json'))) {
      return { publish: false, reason: `the active version ${active.id}'s artifact is not on this machine: cannot compare`, candidateNdcg20: null, candidateRecall20: null, windowUsers: null, ...none };
    }
    const scorer = embeddingScorer(GatRecommender.load(active.artifactDir).embeddings(), snapshot);
    const on = { on: 'test' as const, ks: [20], onlyUsers: scorer.knowsUser };
    const c = evaluate(model, data.split, on);
    const a = evaluate(scorer, data.split, on);
    const [cn, an] = [c.ndcg[20], a.ndcg[20]];
    const publish = cn >= an - this.settings.margin;
    const reason =
      `candidate NDCG@20 ${cn.toFixed(4)} vs active ${an.toFixed(4)} on the recent held-out window (${c.users} users), margin ${this.settings.margin}: ` +
      (publish ? 'not worse, publish' : 'worse, keep the active version');
    return { publish, reason, candidateNdcg20: cn, activeNdcg20: an, candidateRecall20: c.recall[20], activeRecall20: a.recall[20], windowUsers: c.users };
  }
}

function parseTraining(text: string | null): TrainingRecord | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as TrainingRecord;
  } catch {
    return null;
  }
}
