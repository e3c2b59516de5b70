/**
 * Stores every published user's candidate list at publish: what the slot's vector index answers
 * for the user's vector, minus the user's products.
 * Serving reads the list in the query it runs anyway instead of searching the index per request
 * (the index search was half a request's Neo4j CPU; see docs/experiments.md).
 * The index stays the only retrieval; the list is its answer, kept while the answer holds.
 */
import type { ModelVersionRepository, Slot } from '../repositories/model-version.repository';

import { CANDIDATE_LIST_SIZE, MAX_HISTORY_EXTRA } from '../services/recommendation/limits';
import type { CandidateListRepository } from '../repositories/candidate-list.repository';

export interface CandidateListOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Write transactions in flight: Neo4j runs each on one core, and the users of two batches never overlap. */
const PARALLEL_BATCHES = 2;

export class CandidateListService {
  constructor(
    private readonly candidateLists: CandidateListRepository,
    private readonly versions: ModelVersionRepository,
  ) {}

  /** Lists for `userIds` in `slot`; the version's lists serve only once all are written. */
  async materialise(versionId: string, slot: Slot, userIds: readonly string[], options: CandidateListOptions = {}): Promise<void> {
    await this.versions.clearCandidateLists(versionId);
    const batchSize = options.batchSize ?? 250;
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < userIds.length) {
        const batch = userIds.slice(next, next + batchSize);
        next += batchSize;
        await this.candidateLists.materialiseCandidates(slot, { userIds: batch, k: CANDIDATE_LIST_SIZE, maxExtra: MAX_HISTORY_EXTRA });
        done += batch.length;
        options.onProgress?.(done, userIds.length);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
    await this.versions.setCandidateListSize(versionId, CANDIDATE_LIST_SIZE);
  }
}
