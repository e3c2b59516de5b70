/**
 * What services tell the rest of the process after a write commits: events stored for some users,
 * products written. Caches subscribe (the serving cache drops what the write made stale) instead of
 * being called by the writer, so a writer knows nothing of who keeps copies. Also what a committed
 * write could not do, for whoever reports it (the server logs it).
 */
import { EventEmitter } from 'node:events';
import type { TextEncoderMatch } from '../domain/text-encoder-match';
import type { CategoryRow } from '../repositories/category.repository';
import type { StoredEvent } from '../repositories/interaction.repository';
import type { ProductRow } from '../repositories/product.repository';

/** Events one statement of this process created, and the `eventsRecordedAt` it set on their users. */
export interface WrittenEvents {
  events: StoredEvent[];
  recordedAt: number;
}

export interface ChangeSignalMap {
  /**
   * Interactions committed for these users (each at most once per signal); when a request of this
   * process wrote them, also the events it created and the change-feed stamp it gave their users.
   */
  eventsStored: [userIds: string[], written?: WrittenEvents];
  /** Products committed, as stored, with the category ids the write gave them. */
  productsChanged: [rows: (ProductRow & { categoryIds?: string[] })[]];
  /** Categories committed, as stored. */
  categoriesChanged: [rows: CategoryRow[]];
  /** Products were written, but the active model was trained on another encoder's text vectors and placed none of them (once per version). */
  textEncoderMismatch: [match: TextEncoderMatch];
}

export class ChangeSignals extends EventEmitter<ChangeSignalMap> {}
