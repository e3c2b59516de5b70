/**
 * What is popular: the weighted interactions of the last 30 days, measured against the newest
 * event in the graph (so old demo data still has a "now"). Cold-start candidates, and the "popular
 * right now" set reasons consult. The aggregation reads every interaction of the month (442,744 db
 * hits on the 1M-event bench graph), so its pool is read once per `cacheMs` (TRENDING_CACHE_MS) and
 * shared by every request, which only filters the pool: a cold-start request was 100+ ms of Neo4j CPU.
 */
import type { CandidateFilter, ScoredProductRow } from '../../repositories/candidate.cypher';
import type { InteractionRepository } from '../../repositories/interaction.repository';
import { RefreshingValue } from '../../shared/refreshing-value';

const TRENDING_DAYS = 30;
/** Products kept per pool: requests take the top max(500, 5 x limit) of it, as the query once did. */
const POOL = 1000;
const POPULAR_TOP = 100;
/** A pool older than this is not served while its refresh runs (stale-while-revalidate up to here). */
const MAX_STALE_MS = 10 * 60000;

/** The `limit` rows of a pool the filter allows, by score then id (recommendation.allowedOf, or the same in memory). */
export type AllowedOf = (rows: ScoredProductRow[], limit: number) => ScoredProductRow[] | Promise<ScoredProductRow[]>;

export class TrendingProducts {
  private readonly recent: RefreshingValue<ScoredProductRow[]>;
  private readonly allTime: RefreshingValue<ScoredProductRow[]>;

  constructor(
    private readonly interactions: InteractionRepository,
    cacheMs = 30000,
  ) {
    this.recent = new RefreshingValue(async () => this.interactions.trending(await this.since(), POOL), cacheMs, Math.max(cacheMs, MAX_STALE_MS));
    this.allTime = new RefreshingValue(() => this.interactions.trending(0, POOL), cacheMs, Math.max(cacheMs, MAX_STALE_MS));
  }

  /**
   * The `limit` most popular allowed products (fewer only when fewer are allowed), scores scaled so
   * the first is 1. `inMemory` filters the pools instead of Neo4j (the serving cache's catalogue,
   * for a user known to have no events).
   */
  async top(limit: number, filter: CandidateFilter, inMemory: AllowedOf | null = null): Promise<{ productId: string; score: number }[]> {
    const take = Math.max(500, limit * 5);
    const pool = async (kept: RefreshingValue<ScoredProductRow[]>, since: () => Promise<number>): Promise<ScoredProductRow[]> =>
      take <= POOL ? (await kept.get()).slice(0, take) : this.interactions.trending(await since(), take);
    const allowedOf = inMemory ?? ((rows: ScoredProductRow[], n: number) => this.interactions.allowedOf(rows, n, filter));
    let rows = await allowedOf(await pool(this.recent, () => this.since()), limit);
    // A quiet month (or a catalogue whose history is old) must not leave a newcomer with a short list.
    if (rows.length < limit) rows = await allowedOf(await pool(this.allTime, async () => 0), limit);
    // Nor may a filter that the most popular products do not pass.
    if (rows.length < limit) rows = await this.interactions.popularAllowed(limit, filter);
    const first = rows[0]?.score || 1;
    return rows.map((r) => ({ productId: r.id, score: r.score / first }));
  }

  /** The top products of the last 30 days, for "popular right now" reasons. */
  async popularIds(): Promise<Set<string>> {
    return new Set((await this.recent.get()).slice(0, POPULAR_TOP).map((r) => r.id));
  }

  private async since(): Promise<number> {
    const latest = (await this.interactions.latestEventAt()) ?? Date.now();
    return latest - TRENDING_DAYS * 24 * 3600 * 1000;
  }
}
