/**
 * Personal recommendations (design §5): the user's vector — published, or folded in from their
 * latest events when they acted after training — then vector-index candidates, filters, MMR
 * re-ranking for diversity, reasons, and a signed recommendationId for attribution.
 * Users with no events get trending items (cold start).
 */
import { mmrRerank } from '../ml/mmr';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import type { ProductRow } from '../repositories/product.repository';
import type { CandidateFilter, CandidateRow, RecentItemRow, RecommendationRepository } from '../repositories/recommendation.repository';
import { BadInputError } from '../errors';
import type { ActiveModel, ActiveModelService } from './active-model.service';
import { explainedCandidates, foldInVector } from './fold-in';
import { pageSize } from '../shared/page';
import { MAX_EXTRA_CANDIDATES, RECENT_ITEMS } from './recommendation-limits';
import type { RecommendationTokens } from './recommendation-token';
import { RefreshingValue } from '../shared/refreshing-value';
import type { ServingCache } from './serving-cache/serving-cache.service';

export type RecommendationStrategy = 'MODEL' | 'FOLD_IN' | 'TRENDING';
export type ReasonKind = 'SIMILAR_TO_INTERACTED' | 'POPULAR' | 'MATCHES_PROFILE';

export interface Reason {
  kind: ReasonKind;
  text: string;
  productId: string | null;
}

export interface RecommendedItem {
  productId: string;
  /** Present when the candidate query already returned the product's fields. */
  product: ProductRow | null;
  score: number;
  reasons: Reason[];
  cursor: string;
}

export interface RecommendationPage {
  recommendationId: string;
  strategy: RecommendationStrategy;
  modelVersion: string | null;
  items: RecommendedItem[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface RecommendationFilter {
  categoryIds?: string[] | null;
  minPrice?: number | null;
  maxPrice?: number | null;
  inStockOnly?: boolean | null;
  excludeInteracted?: boolean | null;
}

const VERB: Record<string, string> = {
  VIEW: 'viewed',
  CLICK: 'clicked',
  CART: 'added to your cart',
  PURCHASE: 'bought',
  RATE: 'rated',
  REVIEW: 'reviewed',
};
/** Below this cosine an interacted item does not explain a recommendation well enough to name it. */
const REASON_SIMILARITY = 0.1;
const TRENDING_DAYS = 30;
const TRENDING_CACHE_MS = 60000;
const POPULAR_TOP = 100;

interface RankedItem {
  productId: string;
  score: number;
  product: ProductRow | null;
  closest: CandidateRow['closest'];
}

/**
 * How many neighbours to ask the vector index for (before the user's own products are added).
 * The index's cost grows with k, so plain requests ask for little; MMR needs room to choose, and
 * narrowing filters drop candidates after the lookup, so those ask for more.
 */
export function candidatePool(need: number, diversity: number, narrowingFilter: boolean): number {
  if (narrowingFilter) return Math.min(2000, Math.max(100, need * 6));
  return Math.min(2000, diversity > 0 ? need * 4 : need * 2 + 10);
}

/** Filters that can exclude most of the catalogue, so the index's top-k may miss every allowed product. */
function hasNarrowingFilter(filter: CandidateFilter): boolean {
  return filter.categoryIds !== null || filter.minPrice !== null || filter.maxPrice !== null || filter.inStockOnly;
}

/** MMR order of the candidates, cut to `need`. */
function rank(candidates: CandidateRow[], diversity: number, need: number): RankedItem[] {
  return mmrRerank(candidates, diversity, need).map((i) => ({
    productId: candidates[i].id,
    score: candidates[i].score,
    product: candidates[i].product,
    closest: candidates[i].closest,
  }));
}

export class RecommendationService {
  private readonly popular = new RefreshingValue(() => this.readPopularIds(), TRENDING_CACHE_MS, 10 * TRENDING_CACHE_MS);

  constructor(
    private readonly repo: RecommendationRepository,
    private readonly active: ActiveModelService,
    private readonly tokens: RecommendationTokens,
    private readonly maxPageSize: number,
    /** Answers published users from memory where it can (serving-cache.service.ts); Neo4j answers the rest. */
    private readonly cache: ServingCache | null = null,
  ) {}

  async recommend(args: {
    userId: string;
    first?: number | null;
    after?: string | null;
    filter?: RecommendationFilter | null;
    diversity?: number | null;
  }): Promise<RecommendationPage> {
    const size = pageSize(args.first, this.maxPageSize);
    const offset = args.after ? Number(decodeCursor(args.after, 1)[0]) : 0;
    const diversity = args.diversity ?? 0;
    if (!(diversity >= 0 && diversity <= 1)) throw new BadInputError('diversity must be between 0 and 1');
    const f = args.filter ?? {};
    if (f.minPrice != null && f.maxPrice != null && f.minPrice > f.maxPrice) throw new BadInputError('filter.minPrice is greater than filter.maxPrice');
    const filter: CandidateFilter = {
      userId: args.userId,
      excludeInteracted: f.excludeInteracted ?? true,
      inStockOnly: f.inStockOnly ?? false,
      categoryIds: f.categoryIds && f.categoryIds.length > 0 ? f.categoryIds : null,
      minPrice: f.minPrice ?? null,
      maxPrice: f.maxPrice ?? null,
      excludeIds: [],
    };
    // One item beyond the page, so hasNextPage can tell whether another page exists.
    const need = offset + size + 1;
    const model = await this.active.current();
    const personal = model ? await this.personal(model, args.userId, need, diversity, filter) : null;
    const strategy: RecommendationStrategy = personal?.strategy ?? 'TRENDING';
    const ranked: RankedItem[] =
      personal?.ranked ?? (await this.trending(need, filter)).map((r) => ({ ...r, product: null, closest: null }));
    const recent = new Map((personal?.recent ?? []).map((r) => [r.productId, r]));
    const popular = await this.popular.get();
    const page = ranked.slice(offset, offset + size);
    return {
      recommendationId: this.tokens.issue({ userId: args.userId, modelVersion: model?.id ?? null }),
      strategy,
      modelVersion: model?.id ?? null,
      items: page.map((item, i) => ({
        productId: item.productId,
        product: item.product,
        score: item.score,
        reasons: this.reasons(item, recent, popular, strategy),
        cursor: encodeCursor([offset + i + 1]),
      })),
      hasNextPage: ranked.length > offset + size,
      hasPreviousPage: offset > 0,
    };
  }

  /**
   * Model-based ranking, or null for a cold start (no events, or no vector to be had). A published
   * user whose vector is current costs no query when the serving cache holds their list, else one
   * (the list stored at publish, or an index search); a user with fresh events is folded in: from
   * the cache's fold-in list with no query, from memory with one index search when the cache holds
   * their latest events but no list yet, else with two queries.
   */
  private async personal(
    model: ActiveModel,
    userId: string,
    need: number,
    diversity: number,
    filter: CandidateFilter,
  ): Promise<{ strategy: RecommendationStrategy; ranked: RankedItem[]; recent: RecentItemRow[] } | null> {
    const narrow = hasNarrowingFilter(filter);
    const k = candidatePool(need, diversity, narrow);
    // Pure relevance needs exactly the page; MMR needs room to choose.
    const limit = diversity > 0 ? Math.min(k, need * 3) : need;
    const withVectors = diversity > 0;
    // The cache holds lists without vectors (MMR needs them) and without the category tree.
    const cached = diversity === 0 && filter.excludeInteracted && filter.categoryIds === null ? this.cache?.listed(model, userId, filter, limit) : null;
    if (cached) return { strategy: cached.folded ? 'FOLD_IN' : 'MODEL', recent: cached.recent, ranked: rank(cached.candidates, diversity, need) };
    const folded = await this.foldInFromCache(model, userId, { k, limit, withVectors }, filter);
    if (folded && !(folded.candidates.length < need && narrow)) {
      return { strategy: 'FOLD_IN', recent: folded.recent, ranked: rank(folded.candidates, diversity, need) };
    }
    const user = await this.repo.personal(
      model.slot,
      {
        userId,
        modelId: model.id,
        // Stored lists leave the user's own products out, so they cannot answer a request that keeps them.
        useLists: filter.excludeInteracted,
        since: model.trainedAt,
        recentLimit: RECENT_ITEMS,
        k,
        maxExtra: MAX_EXTRA_CANDIDATES,
        limit,
        withVectors,
      },
      filter,
    );
    if (!user || user.events === 0) return null;
    const current = user.hasVector && user.freshEvents === 0;
    const vector = current ? null : await this.foldIn(model, user.recent);
    if (!current && !vector) return null;
    const recentIds = user.recent.map((r) => r.productId);
    let candidates = vector
      ? await this.repo.candidates(model.slot, { vector, k: k + Math.min(user.events, MAX_EXTRA_CANDIDATES), limit, withVectors, recentIds }, filter)
      : user.candidates;
    if (candidates.length < need && narrow) {
      const query = vector ?? (await this.repo.userEmbedding(model.slot, userId));
      if (query) candidates = await this.repo.filteredScan(model.slot, { vector: query, limit: Math.max(limit, need), withVectors, recentIds }, filter);
    }
    return { strategy: current ? 'MODEL' : 'FOLD_IN', recent: user.recent, ranked: rank(candidates, diversity, need) };
  }

  /**
   * Fold-in of a user the serving cache holds as acted since training: their latest events, the
   * products and the items' vectors (the GAT artifact's, which publish stored) are in memory, so
   * Neo4j runs only the index search. Null when any of that is missing (Neo4j's path answers):
   * no artifact here, none of the events' items known to it, or products embedded after publish,
   * whose vectors the artifact does not have.
   */
  private async foldInFromCache(
    model: ActiveModel,
    userId: string,
    search: { k: number; limit: number; withVectors: boolean },
    filter: CandidateFilter,
  ): Promise<{ candidates: CandidateRow[]; recent: RecentItemRow[] } | null> {
    const recent = this.cache && model.newProducts === 0 ? this.cache.foldInEvents(model, userId) : null;
    if (!recent) return null;
    const gat = await this.active.gat(model);
    const vector = gat && foldInVector(gat, recent);
    if (!gat || !vector) return null;
    const rows = await this.repo.scores(model.slot, { vector, k: search.k, maxExtra: MAX_EXTRA_CANDIDATES, limit: search.limit }, filter);
    // Null when the artifact does not know a candidate, or (below) the cache has not read it yet.
    const explained = explainedCandidates(gat, rows, recent);
    if (!explained) return null;
    const candidates: CandidateRow[] = [];
    for (const { id, score, vector, closest } of explained) {
      const product = this.cache?.product(id);
      if (!product) return null;
      candidates.push({ id, score, product, vector: search.withVectors ? vector : null, closest });
    }
    return { candidates, recent };
  }

  /** The user's vector from their latest events: the GAT's fold-in, else the mean of the items' published vectors. */
  private async foldIn(model: ActiveModel, recent: RecentItemRow[]): Promise<number[] | null> {
    const gat = await this.active.gat(model);
    const folded = gat && foldInVector(gat, recent);
    if (folded) return folded;
    // No artifact here, or only items newer than the model.
    const weights = new Map(recent.map((r) => [r.productId, r.weight]));
    const rows = await this.repo.productEmbeddings(model.slot, [...weights.keys()]);
    if (rows.length === 0) return null;
    const mean = new Array<number>(rows[0].vector.length).fill(0);
    for (const r of rows) r.vector.forEach((v, d) => (mean[d] += (v * (weights.get(r.id) ?? 1)) / rows.length));
    return mean;
  }

  private async trending(limit: number, filter: CandidateFilter): Promise<{ productId: string; score: number }[]> {
    const since = await this.trendingSince();
    let rows = await this.repo.trending(since, Math.max(500, limit * 5), limit, filter);
    // A quiet month (or a catalogue whose history is old) must not leave a newcomer with a short list.
    if (rows.length < limit) rows = await this.repo.trending(0, Math.max(500, limit * 5), limit, filter);
    const top = rows[0]?.score || 1;
    return rows.map((r) => ({ productId: r.id, score: r.score / top }));
  }

  /** Trending is measured against the newest event in the graph, so old demo data still has a "now". */
  private async trendingSince(): Promise<number> {
    const latest = (await this.repo.latestEventAt()) ?? Date.now();
    return latest - TRENDING_DAYS * 24 * 3600 * 1000;
  }

  /** The top products of the last 30 days, for "popular right now" reasons; the same for every request. */
  private async readPopularIds(): Promise<Set<string>> {
    const since = await this.trendingSince();
    const everything: CandidateFilter = { userId: null, excludeInteracted: false, inStockOnly: false, categoryIds: null, minPrice: null, maxPrice: null, excludeIds: [] };
    const rows = await this.repo.trending(since, POPULAR_TOP, POPULAR_TOP, everything);
    return new Set(rows.map((r) => r.id));
  }

  private reasons(item: RankedItem, recent: Map<string, RecentItemRow>, popular: Set<string>, strategy: RecommendationStrategy): Reason[] {
    const reasons: Reason[] = [];
    const closest = item.closest && item.closest.similarity > REASON_SIMILARITY ? recent.get(item.closest.productId) : undefined;
    if (closest) {
      reasons.push({ kind: 'SIMILAR_TO_INTERACTED', text: `because you ${VERB[closest.type] ?? 'liked'} "${closest.title}"`, productId: closest.productId });
    }
    // Trending candidates are popular by construction; others are checked against the cached top list.
    if (strategy === 'TRENDING') reasons.push({ kind: 'POPULAR', text: 'trending now', productId: null });
    else if (popular.has(item.productId)) reasons.push({ kind: 'POPULAR', text: 'popular right now', productId: null });
    if (reasons.length === 0) reasons.push({ kind: 'MATCHES_PROFILE', text: 'matches your recent activity', productId: null });
    return reasons;
  }
}
