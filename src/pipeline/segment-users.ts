/**
 * `affinity segment`: k-means on the active model version's user embeddings plus standardized RFM,
 * k chosen by silhouette, readable labels, written as a new run that replaces the previous one
 * atomically. The same pass trains the profile model (propensity, next categories) and stores the
 * population's RFM quintile breakpoints for profile serving.
 */
import { randomUUID } from 'node:crypto';
import { KScore, chooseK } from '../ml/kmeans';
import { Evaluation, trainProfileModel } from '../ml/profile';
import { Rfm, categoryShares, computeRfm, rfmBreakpoints, scoreRfm } from '../ml/rfm';
import { segmentLabels } from '../ml/segment-label';
import type { ModelVersionRepository } from '../repositories/model-version.repository';
import { SLOTS, Slot } from '../repositories/model-version.repository';
import type { CategoryRepository } from '../repositories/category.repository';
import type { InteractionRepository } from '../repositories/interaction.repository';
import type { ProductRepository } from '../repositories/product.repository';
import type { ProfileModelRepository } from '../repositories/profile-model.repository';
import type { SegmentRepository, SegmentWrite } from '../repositories/segment.repository';
import type { TextTopicRepository } from '../repositories/text-topic.repository';
import { NotFoundError } from '../errors';
import { ProfilePopulationService, SpecOptions, profileSpecFor } from './load-profile-population';

export interface SegmentRunOptions extends SpecOptions {
  /** Defaults to the active model version. */
  versionId?: string;
  /** Restrict the run to users whose id starts with this (tests use their own namespace). */
  userIdPrefix?: string | null;
  minK: number;
  maxK: number;
  seed?: number;
  /** Weight of the RFM block against the embedding block (both scaled to unit total variance). */
  rfmWeight?: number;
  log?: (line: string) => void;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface SegmentSummary {
  id: string;
  label: string;
  size: number;
}

export interface SegmentRunResult {
  runId: string;
  modelVersion: string;
  users: number;
  k: number;
  silhouette: number;
  scores: KScore[];
  segments: SegmentSummary[];
  removed: number;
  evaluation: Evaluation;
  profileModelId: string;
}

const ASSIGN_BATCH = 5000;
const TOP_CATEGORIES = 10;
const TOP_PRODUCTS = 50;

/** What a segmentation run reads and writes. */
export interface SegmentationRepositories {
  segments: SegmentRepository;
  products: ProductRepository;
  categories: CategoryRepository;
  interactions: InteractionRepository;
  profileModels: ProfileModelRepository;
  textTopics: TextTopicRepository;
}

export class SegmentationService {
  private readonly segments: SegmentRepository;

  constructor(
    private readonly repos: SegmentationRepositories,
    private readonly versions: ModelVersionRepository,
  ) {
    this.segments = repos.segments;
  }

  async run(options: SegmentRunOptions): Promise<SegmentRunResult> {
    const log = options.log ?? (() => undefined);
    const seed = options.seed ?? 42;
    const version = options.versionId ? await this.versions.byId(options.versionId) : await this.versions.active();
    if (!version) throw new NotFoundError('ModelVersion', options.versionId ?? 'active');
    if (!version.slot) throw new Error(`Model version ${version.id} has no published embeddings; publish it first ("affinity train")`);

    const population = await new ProfilePopulationService(this.repos.products, this.repos.interactions).load({
      userIdPrefix: options.userIdPrefix,
      onProgress: (stage, done) => options.onProgress?.(`load ${stage}`, done, done),
    });
    const spec = profileSpecFor(population, options);
    log(`profile data: ${population.userIds.length} users with events, conversions = ${spec.conversionTypes.join('|')}, monetary = ${spec.pricedMonetary ? 'sum of prices' : 'conversion count (no prices)'}, window ${spec.windowDays} days`);

    // Profile model: train / validation / test over rolling time windows; the predictor that wins
    // on validation (learned model or baseline) is refitted on every window and served.
    const { model, evaluation } = trainProfileModel(population.events, population.dataEnd, spec, { seed });
    log(`profile model serves: purchase propensity = ${model.propensity.served}, next category = ${model.nextCategory.served}`);

    const rfms = population.events.map((events) =>
      computeRfm(events, { asOf: population.dataEnd, conversionTypes: spec.conversionTypes, pricedMonetary: spec.pricedMonetary }),
    );
    const breakpoints = rfmBreakpoints(rfms);

    const { ids, vectors } = await this.embeddings(version.slot, options.userIdPrefix ?? null);
    if (ids.length < 3) throw new Error(`Segmentation needs at least 3 users with embeddings in model version ${version.id}; found ${ids.length}`);
    log(`segmenting ${ids.length} users (model version ${version.id}, slot ${version.slot})`);
    const userIndex = new Map(population.userIds.map((id, i) => [id, i]));
    const memberRfm: Rfm[] = ids.map((id) => {
      const u = userIndex.get(id);
      return u === undefined ? { recencyDays: null, frequency: 0, monetary: 0 } : rfms[u];
    });
    const points = segmentationFeatures(vectors, memberRfm, options.rfmWeight ?? 1);

    let tried = 0;
    const span = Math.max(1, options.maxK - options.minK + 1);
    const clustering = chooseK(points, {
      minK: options.minK,
      maxK: options.maxK,
      seed,
      onProgress: (score) => {
        tried += 1;
        log(`k=${score.k}: silhouette ${score.silhouette.toFixed(4)}`);
        options.onProgress?.('choose k', tried, span);
      },
    });

    const categoryNames = new Map<string, string>();
    for await (const row of this.repos.categories.streamCategoryNames()) categoryNames.set(row.id, row.name);
    const topicWeights = new Map<string, Map<string, number>>();
    for (const row of await this.repos.textTopics.weights(options.userIdPrefix ?? null)) {
      const perUser = topicWeights.get(row.userId) ?? new Map<string, number>();
      perUser.set(row.label, (perUser.get(row.label) ?? 0) + row.weight);
      topicWeights.set(row.userId, perUser);
    }
    const runId = randomUUID();
    const writes = this.describe(clustering.k, clustering.assignments, ids, population, userIndex, memberRfm, breakpoints, spec.pricedMonetary, categoryNames, spec.halfLifeDays, topicWeights)
      .map((segment) => ({ ...segment, k: clustering.k, silhouette: clustering.silhouette, id: `${version.id}:${runId.slice(0, 8)}:${segment.index}` }));

    await this.segments.deleteAbandoned(version.id);
    await this.segments.create(version.id, runId, writes.map(({ index: _index, ...w }) => w));
    for (let start = 0; start < ids.length; start += ASSIGN_BATCH) {
      const rows = [];
      for (let i = start; i < Math.min(ids.length, start + ASSIGN_BATCH); i++) rows.push({ userId: ids[i], segmentId: writes[clustering.assignments[i]].id });
      await this.segments.assign(rows);
      options.onProgress?.('assign', Math.min(ids.length, start + ASSIGN_BATCH), ids.length);
    }
    const { promoted, removed } = await this.segments.promote(version.id, runId);
    if (promoted !== writes.length) throw new Error(`Segment run ${runId} was changed by another run (promoted ${promoted} of ${writes.length})`);

    const profileModelId = randomUUID();
    await this.repos.profileModels.save({
      id: profileModelId,
      modelVersion: version.id,
      dataEnd: population.dataEnd,
      model: JSON.stringify(model),
      breakpoints: JSON.stringify(breakpoints),
      evaluation: JSON.stringify(evaluation),
    });
    return {
      runId,
      modelVersion: version.id,
      users: ids.length,
      k: clustering.k,
      silhouette: clustering.silhouette,
      scores: clustering.scores,
      segments: writes.map((w) => ({ id: w.id, label: w.label, size: w.size })),
      removed,
      evaluation,
      profileModelId,
    };
  }

  private async embeddings(slot: Slot, userIdPrefix: string | null): Promise<{ ids: string[]; vectors: number[][] }> {
    const ids: string[] = [];
    const vectors: number[][] = [];
    for await (const row of this.segments.streamUserEmbeddings(SLOTS[slot].property, userIdPrefix)) {
      ids.push(row.id);
      vectors.push(row.vector);
    }
    return { ids, vectors };
  }

  /** Sizes, RFM averages, top categories and products, and labels of each cluster. */
  private describe(
    k: number,
    assignments: number[],
    ids: string[],
    population: Awaited<ReturnType<ProfilePopulationService['load']>>,
    userIndex: Map<string, number>,
    memberRfm: Rfm[],
    breakpoints: ReturnType<typeof rfmBreakpoints>,
    pricedMonetary: boolean,
    categoryNames: Map<string, string>,
    halfLifeDays: number,
    topicWeights: ReadonlyMap<string, ReadonlyMap<string, number>>,
  ): (Omit<SegmentWrite, 'id' | 'k' | 'silhouette'> & { index: number })[] {
    const acc = Array.from({ length: k }, () => ({
      size: 0, recency: 0, withEvents: 0, frequency: 0, monetary: 0, rQ: 0, fQ: 0, score: 0,
      shares: new Map<string, number>(), products: new Map<string, number>(), topics: new Map<string, number>(),
    }));
    const populationShares = new Map<string, number>();
    const populationTopics = new Map<string, number>();
    ids.forEach((id, i) => {
      const a = acc[assignments[i]];
      a.size += 1;
      for (const [label, weight] of topicWeights.get(id) ?? []) {
        a.topics.set(label, (a.topics.get(label) ?? 0) + weight);
        populationTopics.set(label, (populationTopics.get(label) ?? 0) + weight / ids.length);
      }
      const rfm = memberRfm[i];
      a.frequency += rfm.frequency;
      a.monetary += rfm.monetary;
      const scored = scoreRfm(rfm, breakpoints);
      if (rfm.recencyDays !== null && scored) {
        a.withEvents += 1;
        a.recency += rfm.recencyDays;
        a.rQ += scored.recency;
        a.fQ += scored.frequency;
        a.score += scored.score;
      }
      const u = userIndex.get(id);
      if (u === undefined) return;
      const events = population.events[u];
      for (const s of categoryShares(events, { asOf: population.dataEnd, halfLifeDays })) {
        const name = categoryNames.get(s.categoryId) ?? s.categoryId;
        a.shares.set(s.categoryId, (a.shares.get(s.categoryId) ?? 0) + s.share);
        populationShares.set(name, (populationShares.get(name) ?? 0) + s.share / ids.length);
      }
      for (const productId of new Set(events.map((e) => e.productId))) a.products.set(productId, (a.products.get(productId) ?? 0) + 1);
    });
    const labels = segmentLabels(
      acc.map((a) => ({
        recencyQuintile: a.withEvents ? a.rQ / a.withEvents : 1,
        frequencyQuintile: a.withEvents ? a.fQ / a.withEvents : 1,
        categoryShares: [...a.shares].map(([c, total]) => ({ name: categoryNames.get(c) ?? c, share: total / Math.max(1, a.size) })),
        topicShares: [...a.topics].map(([label, total]) => ({ label, share: total / Math.max(1, a.size) })),
      })),
      populationShares,
      populationTopics.size > 0 ? populationTopics : undefined,
    );
    return acc.map((a, index) => {
      const categories = [...a.shares].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, TOP_CATEGORIES);
      const products = [...a.products].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, TOP_PRODUCTS);
      return {
        index,
        label: labels[index],
        size: a.size,
        topCategoryIds: categories.map(([c]) => c),
        topCategoryShares: categories.map(([, total]) => total / Math.max(1, a.size)),
        topProductIds: products.map(([p]) => p),
        topProductCounts: products.map(([, count]) => count),
        avgRecencyDays: a.withEvents ? a.recency / a.withEvents : null,
        avgFrequency: a.size ? a.frequency / a.size : 0,
        avgMonetary: a.size ? a.monetary / a.size : 0,
        avgRfmScore: a.withEvents ? a.score / a.withEvents : null,
        monetaryIsCount: !pricedMonetary,
      };
    });
  }
}

/**
 * One row per user: the embedding, each dimension z-scored and the block divided by sqrt(dim), then
 * log-RFM z-scored and divided by sqrt(3), times `rfmWeight`, so both blocks carry the same total
 * variance and 64 embedding dimensions do not drown three RFM figures.
 */
export function segmentationFeatures(vectors: number[][], rfms: Rfm[], rfmWeight: number): number[][] {
  const maxRecency = Math.max(0, ...rfms.map((r) => r.recencyDays ?? 0));
  const rfmRows = rfms.map((r) => [Math.log1p(r.recencyDays ?? maxRecency), Math.log1p(r.frequency), Math.log1p(r.monetary)]);
  const emb = zScoreColumns(vectors).map((row) => row.map((v) => v / Math.sqrt(Math.max(1, row.length))));
  const rfm = zScoreColumns(rfmRows).map((row) => row.map((v) => (v / Math.sqrt(3)) * rfmWeight));
  return emb.map((row, i) => [...row, ...rfm[i]]);
}

function zScoreColumns(rows: number[][]): number[][] {
  if (rows.length === 0) return [];
  const dim = rows[0].length;
  const mean = new Array<number>(dim).fill(0);
  const variance = new Array<number>(dim).fill(0);
  for (const row of rows) for (let j = 0; j < dim; j++) mean[j] += row[j] / rows.length;
  for (const row of rows) for (let j = 0; j < dim; j++) variance[j] += (row[j] - mean[j]) ** 2 / rows.length;
  const std = variance.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1));
  return rows.map((row) => row.map((v, j) => (v - mean[j]) / std[j]));
}
