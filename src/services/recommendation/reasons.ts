/**
 * Why each recommended product is on the page — the one place that decides it, whichever source
 * found the candidates: the user's recent item most similar to it in the model's space ("because
 * you rated X"), "popular right now", or else "matches your recent activity".
 */
import { RecentVectors } from '../../ml/closest-item';
import type { RecentItemRow } from '../../repositories/candidate.cypher';
import type { Vector } from '../../ml/vector';
import type { Candidate } from './candidate-source';
import type { TrendingProducts } from './trending-products';
import type { Reason, RecommendationStrategy } from './types';

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

export class Reasons {
  constructor(private readonly trending: TrendingProducts) {}

  /** Reasons for each item of the page, in order. */
  /**
   * `vectors`: the model's vectors of the recent items and of the page items whose source did not
   * name their closest recent item already (ModelVectors), as many as are known.
   */
  async explain(args: { page: Candidate[]; recent: RecentItemRow[]; strategy: RecommendationStrategy; vectors: Map<string, Vector> }): Promise<Reason[][]> {
    const { page, recent, strategy, vectors } = args;
    const popular = await this.trending.popularIds();
    const closest = closestRecent(page, recent, vectors);
    return page.map((item) => {
      const reasons: Reason[] = [];
      const because = closest.get(item.id);
      if (because) reasons.push({ kind: 'SIMILAR_TO_INTERACTED', text: `because you ${VERB[because.type] ?? 'liked'} "${because.title}"`, productId: because.productId });
      // Trending candidates are popular by construction; others are checked against the popular list.
      if (strategy === 'TRENDING' || item.popularFill) reasons.push({ kind: 'POPULAR', text: 'trending now', productId: null });
      else if (popular.has(item.id)) reasons.push({ kind: 'POPULAR', text: 'popular right now', productId: null });
      if (reasons.length === 0) reasons.push({ kind: 'MATCHES_PROFILE', text: 'matches your recent activity', productId: null });
      return reasons;
    });
  }
}

/** Per page item, the recent item most similar to it when similar enough to name (the first of equal maxima). */
function closestRecent(page: Candidate[], recent: RecentItemRow[], vectors: Map<string, Vector>): Map<string, RecentItemRow> {
  // Packed only when some item's source did not name its closest recent item (lists kept in memory do).
  let recentVectors: RecentVectors | undefined;
  const packed = (): RecentVectors =>
    (recentVectors ??= new RecentVectors(
      recent.flatMap((r) => {
        const vector = vectors.get(r.productId);
        return vector ? [{ productId: r.productId, vector }] : [];
      }),
    ));
  const byId = new Map(recent.map((r) => [r.productId, r]));
  const closest = new Map<string, RecentItemRow>();
  for (const item of page) {
    const vector = item.closest === undefined ? vectors.get(item.id) : undefined;
    const best = item.closest === undefined ? vector && packed().closest(vector) : item.closest;
    const row = best && best.similarity > REASON_SIMILARITY ? byId.get(best.productId) : undefined;
    if (row) closest.set(item.id, row);
  }
  return closest;
}
