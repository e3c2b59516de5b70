/**
 * What is popular: the weighted interactions of the last 30 days, measured against the newest
 * event in the graph (so old demo data still has a "now"). Cold-start candidates, and the "popular
 * right now" set reasons consult (the same for every request, refreshed once a minute).
 */
import type { CandidateFilter } from '../../repositories/candidate.cypher';
import { RefreshingValue } from '../../shared/refreshing-value';
import { NO_FILTER } from './filters';
import type { InteractionRepository } from '../../repositories/interaction.repository';

const TRENDING_DAYS = 30;
const POPULAR_CACHE_MS = 60000;
const POPULAR_TOP = 100;

export class TrendingProducts {
  private readonly popular = new RefreshingValue(() => this.readPopularIds(), POPULAR_CACHE_MS, 10 * POPULAR_CACHE_MS);

  constructor(private readonly interactions: InteractionRepository) {}

  /** The `limit` most popular allowed products (fewer only when fewer are allowed), scores scaled so the first is 1. */
  async top(limit: number, filter: CandidateFilter): Promise<{ productId: string; score: number }[]> {
    const since = await this.since();
    let rows = await this.interactions.trending(since, Math.max(500, limit * 5), limit, filter);
    // A quiet month (or a catalogue whose history is old) must not leave a newcomer with a short list.
    if (rows.length < limit) rows = await this.interactions.trending(0, Math.max(500, limit * 5), limit, filter);
    // Nor may a filter that the most popular products do not pass.
    if (rows.length < limit) rows = await this.interactions.popularAllowed(limit, filter);
    const first = rows[0]?.score || 1;
    return rows.map((r) => ({ productId: r.id, score: r.score / first }));
  }

  /** The top products of the last 30 days, for "popular right now" reasons. */
  async popularIds(): Promise<Set<string>> {
    return this.popular.get();
  }

  private async since(): Promise<number> {
    const latest = (await this.interactions.latestEventAt()) ?? Date.now();
    return latest - TRENDING_DAYS * 24 * 3600 * 1000;
  }

  private async readPopularIds(): Promise<Set<string>> {
    const rows = await this.interactions.trending(await this.since(), POPULAR_TOP, POPULAR_TOP, NO_FILTER);
    return new Set(rows.map((r) => r.id));
  }
}
