/**
 * Publishes a trained version: writes its embeddings into the slot the active version does not
 * use, waits for the vector indexes to be online, stores the users' candidate lists from them,
 * then flips the active version in one transaction. Any failure before the flip leaves the
 * previous version serving, untouched.
 */
import type { ModelVersionRepository, Slot } from '../repositories/model-version.repository';
import type { CandidateListService } from './build-candidate-lists';
import { SLOTS } from '../repositories/model-version.repository';

export interface PublishedEmbeddings {
  dim: number;
  userIds: readonly string[];
  users: Float32Array;
  itemIds: readonly string[];
  items: Float32Array;
}

export interface PublishProgress {
  /** Embeddings of a label, or the users' candidate lists. */
  label: 'Product' | 'User' | 'Candidates';
  done: number;
  total: number;
}

export interface PublishOptions {
  batchSize?: number;
  onProgress?: (p: PublishProgress) => void;
}

export class PublishService {
  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly candidateLists: CandidateListService,
  ) {}

  async publish(versionId: string, embeddings: PublishedEmbeddings, options: PublishOptions = {}): Promise<Slot> {
    const version = await this.versions.byId(versionId);
    if (!version) throw new Error(`Model version ${versionId} does not exist`);
    const active = await this.versions.active();
    const slot: Slot = active?.slot === 'a' ? 'b' : 'a';
    await this.versions.setStatus(versionId, 'publishing', slot);
    try {
      // Only the inactive slot is touched until the flip: its index is dropped and rebuilt here.
      await this.writeAll('Product', slot, embeddings.itemIds, embeddings.items, embeddings.dim, options);
      await this.writeAll('User', slot, embeddings.userIds, embeddings.users, embeddings.dim, options);
      await this.versions.awaitIndex(SLOTS[slot].productIndex, 300);
      await this.versions.awaitIndex(SLOTS[slot].userIndex, 300);
      await this.candidateLists.materialise(versionId, slot, embeddings.userIds, {
        onProgress: (done, total) => options.onProgress?.({ label: 'Candidates', done, total }),
      });
      await this.versions.flip(versionId);
      return slot;
    } catch (error) {
      await this.versions.setStatus(versionId, 'failed').catch(() => undefined);
      throw error;
    }
  }

  private async writeAll(
    label: 'Product' | 'User',
    slot: Slot,
    ids: readonly string[],
    vectors: Float32Array,
    dim: number,
    options: PublishOptions,
  ): Promise<void> {
    // Vectors left in this slot by an older version would mix with the new ones in search.
    await this.versions.clearSlot(label, slot);
    // The slot's index is built afresh from the written vectors: maintained row by row through many
    // transactions it ends up in dozens of Lucene segments, each searched on every query (figures in
    // docs/experiments.md).
    await this.versions.dropIndex(label, slot);
    const batchSize = options.batchSize ?? 2000;
    for (let start = 0; start < ids.length; start += batchSize) {
      const rows = [];
      for (let i = start; i < Math.min(ids.length, start + batchSize); i++) {
        rows.push({ id: ids[i], vector: Array.from(vectors.subarray(i * dim, (i + 1) * dim)) });
      }
      await this.versions.writeVectors(label, slot, rows);
      options.onProgress?.({ label, done: Math.min(ids.length, start + batchSize), total: ids.length });
    }
    await this.versions.createIndex(label, slot, dim);
  }
}
