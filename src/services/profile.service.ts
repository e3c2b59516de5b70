/**
 * User profiles, computed per request from the user's latest events with the current profile
 * model (trained by `affinity segment`): interests, RFM with population quintiles, predicted next
 * categories and purchase propensity, recent activity. Computing from live events means a new
 * event shows in the profile at once; only the model and the quintile breakpoints are periodic.
 */
import { Evaluation, ProfileModel, predict, trainProfileModel } from '../ml/profile';
import { ProfileEvent, RfmBreakpoints, RfmScore, categoryShares, computeRfm, conversionTypesFor, scoreRfm } from '../ml/rfm';
import type { InteractionRepository, UserEventRow } from '../repositories/interaction.repository';
import type { ProductRepository } from '../repositories/product.repository';
import type { ProfileModelRepository } from '../repositories/profile-model.repository';
import { DEFAULT_HALF_LIFE_DAYS, ProfilePopulationService, SpecOptions, profileSpecFor } from '../pipeline/load-profile-population';
import { interactionWeight } from '../domain/interaction-weight';
import type { InteractionType } from '../domain/records';

export interface LoadedProfileModel {
  id: string;
  trainedAt: string;
  dataEnd: number;
  /** Null for a model stored in an older format: no predictions until the next `affinity segment`. */
  model: ProfileModel | null;
  breakpoints: RfmBreakpoints;
}

export interface UserProfileData {
  userId: string;
  /** Epoch ms that recency and decay are measured from. */
  referenceTime: number;
  interests: { categoryId: string; affinity: number }[];
  rfm: { recencyDays: number | null; frequency: number; monetary: number; monetaryIsCount: boolean; conversionTypes: string[]; score: RfmScore | null };
  nextCategories: { categoryId: string; probability: number }[];
  purchasePropensity: number | null;
  propensityWindowDays: number | null;
  /** Which predictor the profile model serves for each figure: the learned model or its baseline. */
  predictors: { propensity: 'model' | 'baseline'; nextCategory: 'model' | 'baseline' } | null;
  activity: { lastSeen: number | null; totalEvents: number; eventsByType: { type: string; count: number }[] };
  modelId: string | null;
}

const MODEL_CACHE_MS = 30_000;

export class ProfileService {
  private cached: { value: Promise<LoadedProfileModel | null>; expires: number } | undefined;

  constructor(private readonly repos: { profileModels: ProfileModelRepository; products: ProductRepository; interactions: InteractionRepository }) {}

  /** The current profile model, re-read at most every 30 s so a new `affinity segment` run is picked up. */
  async currentModel(): Promise<LoadedProfileModel | null> {
    if (!this.cached || this.cached.expires < Date.now()) {
      const value = this.repos.profileModels.current().then((row) =>
        row
          ? {
              id: row.id,
              trainedAt: row.createdAt,
              dataEnd: row.dataEnd,
              model: currentFormat(JSON.parse(row.model) as Partial<ProfileModel>),
              breakpoints: JSON.parse(row.breakpoints) as RfmBreakpoints,
            }
          : null,
      );
      this.cached = { value, expires: Date.now() + MODEL_CACHE_MS };
      value.catch(() => (this.cached = undefined));
    }
    return this.cached.value;
  }

  async profile(userId: string, rows: readonly UserEventRow[]): Promise<UserProfileData> {
    const loaded = await this.currentModel();
    const events: ProfileEvent[] = rows.map((r) => ({
      at: r.at,
      type: r.type,
      weight: r.weight ?? interactionWeight(r.type as InteractionType),
      price: r.price,
      categoryIds: r.categoryIds,
    }));
    const lastSeen = events.length ? Math.max(...events.map((e) => e.at)) : null;
    // A historic dataset (MovieLens ends in 2016) is measured from its own end, not from today.
    const referenceTime = loaded ? Math.max(loaded.dataEnd, lastSeen ?? 0) : Date.now();
    const typeCounts = new Map<string, number>();
    for (const e of events) typeCounts.set(e.type, (typeCounts.get(e.type) ?? 0) + 1);
    const spec = loaded?.model?.spec;
    const conversionTypes = spec?.conversionTypes ?? conversionTypesFor(typeCounts);
    const pricedMonetary = spec?.pricedMonetary ?? events.some((e) => conversionTypes.includes(e.type) && (e.price ?? 0) > 0);
    const rfm = computeRfm(events, { asOf: referenceTime, conversionTypes, pricedMonetary });
    const prediction = loaded?.model && events.length > 0 ? predict(loaded.model, events, referenceTime) : null;
    return {
      userId,
      referenceTime,
      interests: categoryShares(events, { asOf: referenceTime, halfLifeDays: spec?.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS }).map((s) => ({
        categoryId: s.categoryId,
        affinity: s.share,
      })),
      rfm: { ...rfm, monetaryIsCount: !pricedMonetary, conversionTypes, score: loaded ? scoreRfm(rfm, loaded.breakpoints) : null },
      nextCategories: prediction?.nextCategories ?? [],
      purchasePropensity: prediction?.propensity ?? null,
      propensityWindowDays: spec?.windowDays ?? null,
      predictors: loaded?.model ? { propensity: loaded.model.propensity.served, nextCategory: loaded.model.nextCategory.served } : null,
      activity: {
        lastSeen,
        totalEvents: events.length,
        eventsByType: [...typeCounts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      },
      modelId: loaded?.id ?? null,
    };
  }

  /** The time-based train / validation / test protocol of the profile model (see src/ml/profile/train.ts); writes nothing. */
  async evaluate(options: SpecOptions & { seed?: number; userIdPrefix?: string | null; onProgress?: (stage: string, done: number) => void } = {}): Promise<Evaluation> {
    const population = await new ProfilePopulationService(this.repos.products, this.repos.interactions).load({ userIdPrefix: options.userIdPrefix, onProgress: options.onProgress });
    if (population.userIds.length === 0) throw new Error('No events to evaluate the profile model on');
    return trainProfileModel(population.events, population.dataEnd, profileSpecFor(population, options), { seed: options.seed ?? 42 }).evaluation;
  }
}

function currentFormat(model: Partial<ProfileModel>): ProfileModel | null {
  return model.format === 2 ? (model as ProfileModel) : null;
}
