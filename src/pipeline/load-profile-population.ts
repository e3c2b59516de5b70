/**
 * Loads every user's events (with product price and categories) into memory for `affinity segment`
 * and `affinity evaluate-profile`: one stream of products, one of events, kept as plain per-user
 * arrays. Memory grows with the number of events (about 100 bytes each).
 */
import type { InteractionRepository } from '../repositories/interaction.repository';
import type { ProductRepository } from '../repositories/product.repository';
import { ProfileSpec, topCategories, windowDaysFor } from '../ml/profile';
import { ProfileEvent, conversionTypesFor } from '../ml/rfm';
import { interactionWeight } from '../domain/interaction-weight';
import type { InteractionType } from '../domain/records';

export interface PopulationEvent extends ProfileEvent {
  productId: string;
}

export interface Population {
  userIds: string[];
  /** Events per user, in the order of `userIds`. */
  events: PopulationEvent[][];
  /** Epoch ms of the latest event. */
  dataEnd: number;
  typeCounts: Map<string, number>;
  /** True when some conversion-type event has a priced product. */
  pricedTypes: Set<string>;
}

export class ProfilePopulationService {
  constructor(
    private readonly products: ProductRepository,
    private readonly interactions: InteractionRepository,
  ) {}

  async load(options: { userIdPrefix?: string | null; onProgress?: (stage: string, done: number) => void } = {}): Promise<Population> {
    const products = new Map<string, { price: number | null; categoryIds: string[] }>();
    for await (const row of this.products.streamProductFacts()) {
      products.set(row.id, { price: row.price, categoryIds: row.categoryIds });
      if (products.size % 20000 === 0) options.onProgress?.('products', products.size);
    }
    options.onProgress?.('products', products.size);
    const index = new Map<string, number>();
    const population: Population = { userIds: [], events: [], dataEnd: 0, typeCounts: new Map(), pricedTypes: new Set() };
    let count = 0;
    for await (const row of this.interactions.streamPopulationEvents(options.userIdPrefix ?? null)) {
      let u = index.get(row.userId);
      if (u === undefined) {
        u = population.userIds.length;
        index.set(row.userId, u);
        population.userIds.push(row.userId);
        population.events.push([]);
      }
      const product = products.get(row.productId);
      const price = product?.price ?? null;
      population.events[u].push({
        productId: row.productId,
        at: row.at,
        type: row.type,
        weight: row.weight ?? interactionWeight(row.type as InteractionType),
        price,
        categoryIds: product?.categoryIds ?? [],
      });
      population.typeCounts.set(row.type, (population.typeCounts.get(row.type) ?? 0) + 1);
      if (price !== null && price > 0) population.pricedTypes.add(row.type);
      if (row.at > population.dataEnd) population.dataEnd = row.at;
      if (++count % 50000 === 0) options.onProgress?.('events', count);
    }
    options.onProgress?.('events', count);
    return population;
  }
}

export interface SpecOptions {
  halfLifeDays?: number;
  /** Prediction window; by default long enough to hold the last 10% of events. */
  windowDays?: number;
  /** How many categories the next-category model predicts among (most frequent first). */
  maxCategories?: number;
}

export const DEFAULT_HALF_LIFE_DAYS = 90;

export function profileSpecFor(population: Population, options: SpecOptions = {}): ProfileSpec {
  const conversionTypes = conversionTypesFor(population.typeCounts);
  const windowDays = options.windowDays ?? windowDaysFor(population.events.flatMap((events) => events.map((e) => e.at)));
  return {
    categories: topCategories(population.events, population.dataEnd, options.maxCategories ?? 30),
    conversionTypes,
    pricedMonetary: conversionTypes.some((t) => population.pricedTypes.has(t)),
    halfLifeDays: options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
    windowDays,
  };
}
