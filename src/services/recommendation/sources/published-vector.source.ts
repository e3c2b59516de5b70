/**
 * A user whose published vector is current (no events since training): in one round trip, the
 * list stored at publish filtered in Cypher (merged with products embedded since), or an index
 * search for the vector when the list cannot answer.
 */
import type { CandidateSource, SourceAnswer, SourceContext } from '../candidate-source';
import { isShort } from '../candidate-source';
import type { RecommendationRequest } from '../request';

export class PublishedVectorSource implements CandidateSource {
  readonly name = 'published-vector';
  accepts(request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean {
    return request.model !== null && context.previous === null;
  }

  async answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null> {
    if (!this.accepts(request, context)) return null;
    const user = await context.neo4jUser();
    if (!user || user.events === 0 || !user.hasVector || user.freshEvents > 0) return null;
    return { strategy: 'MODEL', candidates: user.candidates, recent: user.recent, vector: null, complete: !isShort(request, user.candidates.length) };
  }
}
