/**
 * Offline replay of experiment variants (`affinity experiment replay`): each variant's strategy
 * becomes a model of the training harness (graph-models/eval), fitted on the temporal split's
 * earlier events and ranked on its held-out period exactly as `affinity evaluate` ranks, so the
 * numbers compare with the training tables. Per variant: HitRate, NDCG and Recall at K with 95%
 * intervals over users, and the difference from the control (the first variant) paired by user,
 * since every variant ranks the same held-out users.
 */
import { createFitContext, evaluate, GatRecommender, type GraphSnapshot, PopularityRecommender, prepareData, type Recommender } from '../../graph-models';
import { BadInputError } from '../errors';
import type { ModelVersionRepository } from '../repositories/model-version.repository';
import { DiversifiedRecommender } from './diversified-recommender';
import { type Interval } from '../services/experiments/statistics/interval';
import { meanInterval } from '../services/experiments/statistics/rates';
import { summarize } from '../services/experiments/statistics/summary';
import type { ExperimentStrategy } from '../services/experiments/strategy';

export interface ReplayVariant {
  name: string;
  strategy: ExperimentStrategy;
}

export interface ReplayOptions {
  /** Cut-off of the ranked list; default 20. */
  k?: number;
  seed: number;
  /** Training budget per fitted model, seconds. */
  maxSeconds: number;
  /** Rank at most this many held-out users (evenly strided); all by default. */
  evaluationUsers?: number;
  log: (line: string) => void;
}

export const REPLAY_METRICS = ['hitRate', 'ndcg', 'recall'] as const;
export type ReplayMetric = (typeof REPLAY_METRICS)[number];

export interface VariantReplay {
  name: string;
  /** What the strategy was replayed as: "popularity" (trending only) or "gat <model version>". */
  model: string;
  users: number;
  metrics: Record<ReplayMetric, Interval>;
  /** Mean per-user difference from the control with its interval; null for the control. */
  versusControl: Record<ReplayMetric, Interval> | null;
}

export interface ReplayResult {
  k: number;
  /** Held-out (test) users ranked. */
  users: number;
  variants: VariantReplay[];
}

/**
 * A strategy as a harness model: trending only is the popularity ranking of the earlier events
 * (what the trending source serves); otherwise the variant's model version (the active one when it
 * names none) refitted with its stored settings on the earlier events only, because the published
 * vectors have seen the held-out period; a diversity level re-ranks it by MMR as serving does.
 */
async function modelFor(variant: ReplayVariant, versions: ModelVersionRepository, maxSeconds: number, k: number): Promise<{ key: string; label: string; build: () => Recommender }> {
  const { strategy } = variant;
  if (strategy.sourceOrder?.length) throw new BadInputError(`variant "${variant.name}": a candidate source order cannot be replayed offline (the harness ranks a model's full scores, not the serving sources)`);
  const diversity = strategy.diversity ?? 0;
  if (strategy.trendingOnly && diversity > 0) throw new BadInputError(`variant "${variant.name}": trending only has no vectors to diversify with`);
  if (strategy.trendingOnly) return { key: 'popularity', label: 'popularity', build: () => new PopularityRecommender() };
  const version = strategy.modelVersion ? await versions.byId(strategy.modelVersion) : await versions.active();
  if (!version) {
    throw new BadInputError(strategy.modelVersion
      ? `variant "${variant.name}": unknown model version "${strategy.modelVersion}"`
      : `variant "${variant.name}": no model version is active; name one (model:<version>) or use trending`);
  }
  if (!version.params) throw new BadInputError(`variant "${variant.name}": model version "${version.id}" has no stored settings to refit`);
  const params = JSON.parse(version.params) as Record<string, unknown>;
  const gat = (): GatRecommender => new GatRecommender({ ...params, maxSeconds }, `gat ${version.id}`);
  if (diversity > 0) return { key: `gat ${version.id} diversity ${diversity}`, label: `gat ${version.id} + MMR ${diversity}`, build: () => new DiversifiedRecommender(gat(), diversity, k) };
  return { key: `gat ${version.id}`, label: `gat ${version.id}`, build: gat };
}

export async function replayExperiment(snapshot: GraphSnapshot, variants: ReplayVariant[], versions: ModelVersionRepository, options: ReplayOptions): Promise<ReplayResult> {
  if (variants.length < 1) throw new BadInputError('name at least one variant (the first is the control)');
  const names = variants.map((v) => v.name);
  if (new Set(names).size !== names.length) throw new BadInputError('variant names must be distinct');
  if (snapshot.eventUser.length === 0) throw new BadInputError('the graph has no interactions to replay: seed data first');
  const k = options.k ?? 20;
  const models = await Promise.all(variants.map((v) => modelFor(v, versions, options.maxSeconds, k)));
  const data = prepareData(snapshot);
  // Per fitted model (variants may share one): user -> metric values at K.
  const perModel = new Map<string, Map<number, Record<ReplayMetric, number>>>();
  for (const [i, model] of models.entries()) {
    if (perModel.has(model.key)) continue;
    const log = (line: string): void => options.log(`[${variants[i].name}: ${model.label}] ${line}`);
    log('fitting on the earlier events');
    const recommender = model.build();
    await recommender.fit(createFitContext(data, recommender, { seed: options.seed, log }));
    log('ranking the held-out period');
    const byUser = new Map<number, Record<ReplayMetric, number>>();
    evaluate(recommender, data.split, {
      on: 'test',
      ks: [k],
      maxUsers: options.evaluationUsers,
      onUser: (user, m) => byUser.set(user, { hitRate: m.hitRate[0], ndcg: m.ndcg[0], recall: m.recall[0] }),
    });
    perModel.set(model.key, byUser);
  }
  const control = perModel.get(models[0].key) as Map<number, Record<ReplayMetric, number>>;
  const users = [...control.keys()];
  const column = (byUser: Map<number, Record<ReplayMetric, number>>, metric: ReplayMetric): Float64Array =>
    Float64Array.from(users, (u) => byUser.get(u)?.[metric] ?? 0);
  const intervals = (values: (metric: ReplayMetric) => Float64Array): Record<ReplayMetric, Interval> =>
    Object.fromEntries(REPLAY_METRICS.map((m) => [m, meanInterval(summarize(values(m)))])) as Record<ReplayMetric, Interval>;
  return {
    k,
    users: users.length,
    variants: variants.map((v, i) => {
      const byUser = perModel.get(models[i].key) as Map<number, Record<ReplayMetric, number>>;
      return {
        name: v.name,
        model: models[i].label,
        users: byUser.size,
        metrics: intervals((m) => column(byUser, m)),
        versusControl: i === 0 ? null : intervals((m) => {
          const mine = column(byUser, m);
          const theirs = column(control, m);
          return mine.map((x, j) => x - theirs[j]);
        }),
      };
    }),
  };
}
