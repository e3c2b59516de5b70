/**
 * What services tell the rest of the process after a write commits: events stored for some users,
 * products written. Caches subscribe (the serving cache drops what the write made stale) instead of
 * being called by the writer, so a writer knows nothing of who keeps copies. Also what a committed
 * write could not do, for whoever reports it (the server logs it).
 */
import { EventEmitter } from 'node:events';
import type { TextEncoderMatch } from '../domain/text-encoder-match';
import type { CategoryRow } from '../repositories/category.repository';
import type { ProductRow } from '../repositories/product.repository';

export interface ChangeSignalMap {
  /** Interactions committed for these users (each at most once per signal). */
  eventsStored: [userIds: string[]];
  /** Products committed, as stored, with the category ids the write gave them. */
  productsChanged: [rows: (ProductRow & { categoryIds?: string[] })[]];
  /** Categories committed, as stored. */
  categoriesChanged: [rows: CategoryRow[]];
  /** Products were written, but the active model was trained on another encoder's text vectors and placed none of them (once per version). */
  textEncoderMismatch: [match: TextEncoderMatch];
}

export class ChangeSignals extends EventEmitter<ChangeSignalMap> {}
