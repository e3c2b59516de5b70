/**
 * The trending pool is read once per cache period and shared; requests only filter it. A short
 * answer falls back to all-time popularity, then to every allowed product.
 */
import type { CandidateFilter, ScoredProductRow } from '../../../../src/repositories/candidate.cypher';
import type { InteractionRepository } from '../../../../src/repositories/interaction.repository';
import { NO_FILTER } from '../../../../src/services/recommendation/filters';
import { TrendingProducts } from '../../../../src/services/recommendation/trending-products';

const rows = (n: number, prefix = 'p'): ScoredProductRow[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, score: n - i }));

/** A repository over fixed pools; `allowed` decides what a filter lets through. */
function repository(recent: ScoredProductRow[], allTime: ScoredProductRow[], allowed: (id: string) => boolean = () => true) {
  const calls = { trending: [] as { since: number; pool: number }[], popularAllowed: 0 };
  const repo = {
    latestEventAt: async () => 40 * 24 * 3600 * 1000,
    trending: async (since: number, pool: number) => {
      calls.trending.push({ since, pool });
      return (since === 0 ? allTime : recent).slice(0, pool);
    },
    allowedOf: async (candidates: ScoredProductRow[], limit: number, _filter: CandidateFilter) => candidates.filter((r) => allowed(r.id)).slice(0, limit),
    popularAllowed: async (limit: number) => {
      calls.popularAllowed += 1;
      return rows(limit, 'any');
    },
  };
  return { repo: repo as unknown as InteractionRepository, calls };
}

describe('TrendingProducts', () => {
  it('reads the pool once per cache period for every request and the popular set', async () => {
    const { repo, calls } = repository(rows(2000), rows(2000, 'old'));
    const trending = new TrendingProducts(repo, 60000);
    const first = await trending.top(3, NO_FILTER);
    await trending.top(5, NO_FILTER);
    const popular = await trending.popularIds();
    expect(first).toEqual([
      { productId: 'p0', score: 1 },
      { productId: 'p1', score: 1999 / 2000 },
      { productId: 'p2', score: 1998 / 2000 },
    ]);
    expect(popular.size).toBe(100);
    expect(calls.trending).toEqual([{ since: 10 * 24 * 3600 * 1000, pool: 1000 }]);
  });

  it('reads again every time with no cache period', async () => {
    const { repo, calls } = repository(rows(10), rows(10));
    const trending = new TrendingProducts(repo, 0);
    await trending.top(3, NO_FILTER);
    await trending.top(3, NO_FILTER);
    expect(calls.trending).toHaveLength(2);
  });

  it('filters only the top max(500, 5 x limit) of the pool, and reads a deeper pool past it', async () => {
    const { repo, calls } = repository(rows(2000), rows(2000, 'old'), (id) => id === 'p600');
    const trending = new TrendingProducts(repo, 60000);
    // p600 lies beyond the 500 a request for 1 takes: all-time, then every allowed product answer.
    expect((await trending.top(1, NO_FILTER))[0].productId).toBe('any0');
    expect(calls.popularAllowed).toBe(1);
    // 300 x 5 = 1500 is deeper than the kept pool: read directly.
    await trending.top(300, NO_FILTER);
    expect(calls.trending.map((c) => c.pool)).toEqual([1000, 1000, 1500, 1500]);
  });

  it('falls back to all-time popularity when the month holds too few allowed products', async () => {
    const { repo } = repository(rows(2), rows(5, 'old'));
    const trending = new TrendingProducts(repo, 60000);
    expect((await trending.top(3, NO_FILTER)).map((r) => r.productId)).toEqual(['old0', 'old1', 'old2']);
  });
});
