/** One recommendation request as the candidate sources see it: who, how many, which filter, how big a pool. */
import type { CandidateFilter } from '../../repositories/candidate.cypher';
import type { ActiveModel } from '../active-model.service';
import { isNarrowing } from './filters';

export interface RecommendationRequest {
  userId: string;
  /** The serving version; null before any model is published (only trending can answer). */
  model: ActiveModel | null;
  /** Candidates wanted: every page up to this one plus one more, which tells whether a next page exists. */
  need: number;
  /** MMR's trade-off, 0 (relevance order) to 1 (novelty). */
  diversity: number;
  filter: CandidateFilter;
  narrow: boolean;
  /** Index neighbours to ask for, before the user's own products are added. */
  k: number;
  /**
   * Candidates a source returns: half again `need` for pure relevance (the index's scores are
   * quantized; ranking re-scores exactly, and the margin holds the exact top `need`), three times for MMR.
   */
  limit: number;
  /** MMR needs the candidates' vectors; otherwise they stay in Neo4j. */
  withVectors: boolean;
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

export function toRequest(args: { userId: string; model: ActiveModel | null; need: number; diversity: number; filter: CandidateFilter }): RecommendationRequest {
  const narrow = isNarrowing(args.filter);
  const k = candidatePool(args.need, args.diversity, narrow);
  return {
    ...args,
    narrow,
    k,
    limit: args.diversity > 0 ? Math.min(k, args.need * 3) : Math.min(k, args.need + Math.ceil(args.need / 2)),
    withVectors: args.diversity > 0,
  };
}
