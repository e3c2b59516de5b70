/**
 * Each candidate source's rule for which requests it can serve, and the pipeline's order: memory
 * first, one Neo4j round trip next, the exact scan only for a short narrow answer, trending last.
 */
import type { ActiveModel } from '../../../../src/services/active-model.service';
import type { SourceAnswer } from '../../../../src/services/recommendation/candidate-source';
import { composeFilter, requestedStages } from '../../../../src/services/recommendation/filters';
import { toRequest } from '../../../../src/services/recommendation/request';
import type { RecommendationFilter } from '../../../../src/services/recommendation/types';
import type { ServingCache } from '../../../../src/services/recommendation/serving-cache/serving-cache.service';
import { ExactScanSource } from '../../../../src/services/recommendation/sources/exact-scan.source';
import { FoldInSource } from '../../../../src/services/recommendation/sources/fold-in.source';
import { MemoryColdStartSource } from '../../../../src/services/recommendation/sources/memory-cold-start.source';
import { MemoryFoldInSource } from '../../../../src/services/recommendation/sources/memory-fold-in.source';
import { MemoryListSource } from '../../../../src/services/recommendation/sources/memory-list.source';
import { PopularFillSource } from '../../../../src/services/recommendation/sources/popular-fill.source';
import { PublishedVectorSource } from '../../../../src/services/recommendation/sources/published-vector.source';
import { TrendingSource } from '../../../../src/services/recommendation/sources/trending.source';
import { WiderIndexSource } from '../../../../src/services/recommendation/sources/wider-index.source';
import type { ActiveModelService } from '../../../../src/services/active-model.service';

import type { ProductRepository } from '../../../../src/repositories/product.repository';
import type { UserRepository } from '../../../../src/repositories/user.repository';
import type { TrendingProducts } from '../../../../src/services/recommendation/trending-products';

const model: ActiveModel = { id: 'v1', slot: 'a', dim: 2, trainedAt: 1000, artifactDir: null, listSize: 64, newProducts: 0 };
const request = (args: { filter?: RecommendationFilter; diversity?: number; model?: ActiveModel | null; need?: number } = {}) =>
  toRequest({
    userId: 'u1',
    model: args.model === undefined ? model : args.model,
    need: args.need ?? 21,
    diversity: args.diversity ?? 0,
    filter: composeFilter(requestedStages('u1', args.filter ?? {})),
  });
const answer = (complete: boolean): SourceAnswer => ({ strategy: 'MODEL', candidates: [], recent: [], vector: null, complete });
const none = { previous: null };
const cache = {} as ServingCache;
const active = {} as ActiveModelService;
const products = {} as ProductRepository;
const users = {} as UserRepository;

describe('candidate sources: which requests each can serve', () => {
  it('memory list: relevance requests that leave the user\'s products out, category filters included (the cached tree)', () => {
    const source = new MemoryListSource(cache);
    expect(source.accepts(request())).toBe(true);
    expect(source.accepts(request({ filter: { inStockOnly: true, minPrice: 1, maxPrice: 5 } }))).toBe(true);
    expect(source.accepts(request({ diversity: 0.3 }))).toBe(false);
    expect(source.accepts(request({ filter: { excludeInteracted: false } }))).toBe(false);
    expect(source.accepts(request({ filter: { categoryIds: ['c1'] } }))).toBe(true);
    expect(source.accepts(request({ model: null }))).toBe(false);
  });

  it('memory cold start: a user the cache found without events, once a model serves', () => {
    const known = new Set(['u1']);
    const coldCache = { withoutEvents: (_model: ActiveModel, userId: string) => known.has(userId) } as unknown as ServingCache;
    const source = new MemoryColdStartSource(coldCache, {} as TrendingProducts);
    expect(source.accepts(request({ filter: { categoryIds: ['c1'], inStockOnly: true } }))).toBe(true);
    known.clear();
    expect(source.accepts(request())).toBe(false);
    expect(source.accepts(request({ model: null }))).toBe(false);
  });

  it('memory fold-in: any filter and diversity, unless products were embedded after publish', () => {
    const source = new MemoryFoldInSource(cache, active, products);
    expect(source.accepts(request({ diversity: 1, filter: { categoryIds: ['c1'], excludeInteracted: false } }))).toBe(true);
    expect(source.accepts(request({ model: { ...model, newProducts: 3 } }))).toBe(false);
    expect(source.accepts(request({ model: null }))).toBe(false);
  });

  it('published vector and Neo4j fold-in: the first personal answer, once a model serves', () => {
    for (const source of [new PublishedVectorSource(), new FoldInSource(active, products)]) {
      expect(source.accepts(request({ diversity: 0.5, filter: { categoryIds: ['c1'] } }), none)).toBe(true);
      expect(source.accepts(request(), { previous: answer(false) })).toBe(false);
      expect(source.accepts(request({ model: null }), none)).toBe(false);
    }
  });

  it('wider index: a short personal answer without a narrowing filter, once', () => {
    const source = new WiderIndexSource(products, users);
    expect(source.accepts(request(), { previous: answer(false) })).toBe(true);
    expect(source.accepts(request(), { previous: { ...answer(false), widened: true } })).toBe(false);
    expect(source.accepts(request({ filter: { categoryIds: ['c1'] } }), { previous: answer(false) })).toBe(false);
    expect(source.accepts(request(), { previous: answer(true) })).toBe(false);
    expect(source.accepts(request(), none)).toBe(false);
  });

  it('exact scan: any personal answer still short, narrow filter or heavy user', () => {
    const source = new ExactScanSource(products, users);
    expect(source.accepts(request({ filter: { categoryIds: ['c1'] } }), { previous: answer(false) })).toBe(true);
    expect(source.accepts(request({ filter: { inStockOnly: true } }), { previous: answer(false) })).toBe(true);
    expect(source.accepts(request(), { previous: { ...answer(false), widened: true } })).toBe(true);
    expect(source.accepts(request({ filter: { categoryIds: ['c1'] } }), { previous: answer(true) })).toBe(false);
    expect(source.accepts(request({ filter: { categoryIds: ['c1'] } }), none)).toBe(false);
  });

  it('popular fill: a personal answer no other source could complete', () => {
    const source = new PopularFillSource({} as TrendingProducts);
    expect(source.accepts(request(), { previous: answer(false) })).toBe(true);
    expect(source.accepts(request(), { previous: answer(true) })).toBe(false);
    expect(source.accepts(request(), none)).toBe(false);
  });

  it('trending: cold start only, with or without a model', () => {
    const source = new TrendingSource({} as TrendingProducts);
    expect(source.accepts(request({ model: null }), none)).toBe(true);
    expect(source.accepts(request(), none)).toBe(true);
    expect(source.accepts(request(), { previous: answer(false) })).toBe(false);
  });
});

describe('toRequest', () => {
  it('asks the index for more when filters narrow the catalogue or MMR needs room', () => {
    expect(request()).toMatchObject({ narrow: false, k: 52, limit: 32, withVectors: false });
    expect(request({ diversity: 0.5 })).toMatchObject({ narrow: false, k: 84, limit: 63, withVectors: true });
    expect(request({ filter: { maxPrice: 10 } })).toMatchObject({ narrow: true, k: 126, limit: 32 });
  });

  it('composes the filter stages: excludeInteracted on by default, empty category lists ignored', () => {
    expect(request({ filter: { categoryIds: [] } }).filter).toEqual({
      userId: 'u1',
      excludeInteracted: true,
      inStockOnly: false,
      categoryIds: null,
      minPrice: null,
      maxPrice: null,
      excludeIds: [],
      productIds: null,
    });
  });
});
