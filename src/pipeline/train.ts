/**
 * `affinity train`: snapshot the graph, fit the GAT and every baseline on the same temporal split,
 * print and store the table, save the artifact with its training curves, and publish.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  ItemKnnRecommender,
  LightGcnRecommender,
  MfBprRecommender,
  PopularityRecommender,
  TextOnlyRecommender,
  EaseRecommender,
  ImplicitAlsRecommender,
  formatTable,
  runsToJson,
  prepareData,
  runModels,
  trainingCurvesSvg,
  GatRecommender,
  refitGat,
} from '../../graph-models';
import type { GraphSnapshot, Recommender, ModelRun, GatOptions, PreparedData } from '../../graph-models';
import type { ModelVersionRepository } from '../repositories/model-version.repository';
import type { PublishService } from './publish';
import type { TrainingRecord } from '../domain/training-record';

export type { TrainingRecord };

export const BASELINES = ['popularity', 'item-knn', 'mf-bpr', 'lightgcn', 'text-only', 'ease', 'als'] as const;

export interface TrainOptions {
  seed: number;
  baselines: readonly string[];
  gat: Partial<GatOptions>;
  modelsDir: string;
  publish: boolean;
  /** Training budget per model, seconds. */
  maxSeconds: number;
  log: (line: string) => void;
  /** Ctrl-C: the GAT keeps its best epoch, remaining baselines are skipped, nothing is published. */
  stopRequested?: () => boolean;
  /** Rank only this many users in the final tables (evenly strided); all users when unset. */
  evaluationUsers?: number;
  /** Refit the selected GAT settings on every event and serve that (default true). */
  refit?: boolean;
  /** Epoch ms (Neo4j's clock) when the snapshot was read: later events are folded in at serving time. */
  snapshotAt?: number;
  /**
   * Asked after selection, before the refit: may this candidate replace the active version? A
   * refused candidate is saved (status 'refused') without refit and not published.
   */
  gate?: (candidate: { model: GatRecommender; data: PreparedData }) => Promise<GateDecision>;
}

export interface GateDecision {
  publish: boolean;
  reason: string;
}


export interface TrainResult {
  versionId: string;
  artifactDir: string;
  runs: ModelRun[];
  validationTable: string;
  testTable: string;
  published: boolean;
  training: TrainingRecord;
  gate?: GateDecision;
}

function baseline(name: string, maxSeconds: number): Recommender {
  switch (name) {
    case 'popularity':
      return new PopularityRecommender();
    case 'item-knn':
      return new ItemKnnRecommender();
    case 'mf-bpr':
      return new MfBprRecommender({ maxSeconds });
    case 'lightgcn':
      return new LightGcnRecommender({ maxSeconds });
    case 'text-only':
      return new TextOnlyRecommender();
    case 'ease':
      return new EaseRecommender();
    case 'als':
      return new ImplicitAlsRecommender({ maxSeconds });
    default:
      throw new Error(`Unknown baseline "${name}"; use any of ${BASELINES.join(', ')}`);
  }
}

/** Baselines by name; text-only needs text embeddings and is left out without them. */
export function baselinesFor(names: readonly string[], snapshot: GraphSnapshot, maxSeconds: number): Recommender[] {
  return names.filter((b) => b !== 'text-only' || snapshot.itemTextEmbedding).map((b) => baseline(b, maxSeconds));
}

export function newVersionId(now = new Date()): string {
  return `gat-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
}

export class TrainingService {
  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly publisher: PublishService,
  ) {}

  async train(snapshot: GraphSnapshot, options: TrainOptions): Promise<TrainResult> {
    if (snapshot.eventUser.length === 0) throw new Error('The graph has no interactions to train on: seed data first (affinity seed ...)');
    const data = prepareData(snapshot);
    const gat = new GatRecommender({ maxSeconds: options.maxSeconds, ...options.gat });
    const models: Recommender[] = [gat, ...baselinesFor(options.baselines, snapshot, options.maxSeconds)];
    const runs = await runModels(models, data, { seed: options.seed, log: options.log, stopRequested: options.stopRequested, evaluationUsers: options.evaluationUsers });
    const stopped = options.stopRequested?.() ?? false;
    const validationTable = formatTable(runs, 'validation');
    const testTable = formatTable(runs, 'test');

    const selection = runs.find((r) => r.name === gat.name);
    const selectedEpoch = selection?.fit.bestEpoch ?? null;
    const gate = options.gate && !stopped ? await options.gate({ model: gat, data }) : undefined;
    if (gate) options.log(`gate: ${gate.publish ? 'publish' : 'keep the active version'} (${gate.reason})`);
    const refused = gate !== undefined && !gate.publish;
    const refit = options.refit !== false && !stopped && !refused && selectedEpoch
      ? await refitGat({
          selected: gat,
          epochs: selectedEpoch,
          snapshot,
          seed: options.seed,
          // The refit sees all events (about 1.4x the selection's pairs per epoch) for fewer epochs.
          maxSeconds: 2 * options.maxSeconds,
          log: (m) => options.log(`[refit] ${m}`),
          stopRequested: options.stopRequested,
        })
      : undefined;
    const refitStopped = options.stopRequested?.() ?? false;
    const served = refit && !refitStopped ? refit.model : gat;
    if (refit) options.log(`refit on all ${refit.events} events: ${refit.epochs} epochs in ${refit.seconds.toFixed(1)} s (selection ${selection?.fitSeconds.toFixed(1)} s)`);
    const training: TrainingRecord = {
      evaluated: 'selection',
      served: served === gat ? 'selection' : 'refit',
      describes:
        `The evaluation describes the selection run: ${gat.name} fitted on the ${data.split.train.length} train events of the temporal split, ` +
        `epoch ${selectedEpoch ?? '-'} chosen on validation. ` +
        (served === gat
          ? 'The served model is that selection run.'
          : `The served model is its refit on all ${refit?.events} events for ${refit?.epochs} epochs with the same settings; it has no held-out metrics of its own.`),
      selectedEpoch,
      selectionEvents: data.split.train.length,
      selectionSeconds: selection?.fitSeconds ?? 0,
      refitEpochs: refit?.epochs ?? null,
      refitEvents: refit?.events ?? null,
      refitSeconds: refit?.seconds ?? null,
      snapshotAt: options.snapshotAt ?? null,
      snapshotEvents: snapshot.eventUser.length,
    };

    const versionId = newVersionId();
    const artifactDir = path.join(options.modelsDir, versionId);
    fs.mkdirSync(options.modelsDir, { recursive: true });
    // Not recursive: Node's recursive mkdir reports a read-only store as ENOENT; this one says EROFS.
    fs.mkdirSync(artifactDir);
    served.save(artifactDir);
    fs.writeFileSync(path.join(artifactDir, 'training-curves.svg'), trainingCurvesSvg(gat.name, gat.history));
    const metrics = JSON.stringify(runsToJson(runs));
    fs.writeFileSync(path.join(artifactDir, 'evaluation.json'), JSON.stringify({ training, runs: runsToJson(runs) }));
    const embeddings = served.embeddings();
    await this.versions.create({
      id: versionId,
      dim: embeddings.dim,
      artifactDir,
      params: JSON.stringify(served.options),
      metrics,
      training: JSON.stringify(training),
      snapshotAt: options.snapshotAt ?? null,
      textDim: served.textDim,
    });
    options.log(`saved ${versionId} to ${artifactDir}`);
    if (refused) await this.versions.setStatus(versionId, 'refused');
    const publish = options.publish && !stopped && !refitStopped && !refused;
    if (options.publish && !publish && !refused) options.log(`stopped early: ${versionId} is saved but not published (run "affinity publish --version ${versionId}")`);
    if (publish) {
      await this.publisher.publish(versionId, embeddings, {
        onProgress: (p) => {
          if (p.done === p.total) options.log(p.label === 'Candidates' ? `stored ${p.total} users' candidate lists` : `published ${p.total} ${p.label} embeddings`);
        },
      });
    }
    return { versionId, artifactDir, runs, validationTable, testTable, published: publish, training, gate };
  }
}
