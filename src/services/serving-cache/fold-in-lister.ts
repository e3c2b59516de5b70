/**
 * What the serving cache asks for a user who acted since training: the vector index's answer for
 * their folded-in vector, searched once per change of their latest events rather than per request.
 * Implemented by FoldInListService (fold-in-list.service.ts), which holds the GAT.
 */
import type { RecentItemRow } from '../../repositories/recommendation.repository';
import type { ActiveModel } from '../active-model.service';
import type { CandidateListRow } from './cached-user';

export interface FoldInLister {
  /** Lists of the users whose fold-in could be searched; a user left out is folded in per request. */
  lists(model: ActiveModel, users: { id: string; recent: RecentItemRow[] }[]): Promise<Map<string, CandidateListRow>>;
}
