/**
 * What services tell the rest of the process after a write commits: events stored for some users,
 * products written. Caches subscribe (the serving cache drops what the write made stale) instead of
 * being called by the writer, so a writer knows nothing of who keeps copies.
 */
import { EventEmitter } from 'node:events';
import type { CategoryRow } from '../repositories/category.repository';
import type { ProductRow } from '../repositories/product.repository';

export interface ChangeSignalMap {
  /** Interactions committed for these users (each at most once per signal). */
  eventsStored: [userIds: string[]];
  /** Products committed, as stored, with the category ids the write gave them. */
  productsChanged: [rows: (ProductRow & { categoryIds?: string[] })[]];
  /** Categories committed, as stored. */
  categoriesChanged: [rows: CategoryRow[]];
}

export class ChangeSignals extends EventEmitter<ChangeSignalMap> {}
