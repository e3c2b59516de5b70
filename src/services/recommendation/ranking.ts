/** Re-ranking: MMR by the request's diversity (0 keeps relevance order), cut to what the pages need. */
import { mmrRerank } from '../../ml/mmr';
import type { Candidate } from './candidate-source';

export function rank(candidates: Candidate[], diversity: number, need: number): Candidate[] {
  return mmrRerank(candidates, diversity, need).map((i) => candidates[i]);
}
