/**
 * Builds the training snapshot (graph-models/data/snapshot.ts) from streamed Neo4j records:
 * dense ids and growable typed arrays, so 1M events cost tens of megabytes, not a million objects.
 */
import { INTERACTION_TYPES } from '../domain/records';
import { productText } from '../domain/product-text';
import type { GraphSnapshot } from '../../graph-models';
import { canonicalOrder } from '../../graph-models/data/canonical-order';
import type { InteractionRepository } from '../repositories/interaction.repository';
import type { ProductRepository } from '../repositories/product.repository';

class Growable<T extends Int32Array | Float64Array | Float32Array | Uint8Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export interface SnapshotProgress {
  stage: 'products' | 'events' | 'text embeddings';
  done: number;
}

export class SnapshotService {
  constructor(private readonly repos: { products: ProductRepository; interactions: InteractionRepository }) {}

  /** The whole graph, or with `idPrefix` only the users and products whose ids start with it. */
  async build(options: { textDim: number; idPrefix?: string; onProgress?: (p: SnapshotProgress) => void }): Promise<GraphSnapshot> {
    const idPrefix = options.idPrefix ?? null;
    const report = options.onProgress ?? (() => undefined);
    const itemIds: string[] = [];
    const itemText: string[] = [];
    const itemCategories: string[][] = [];
    const itemIndex = new Map<string, number>();
    for await (const p of this.repos.products.streamProducts(idPrefix)) {
      itemIndex.set(p.id, itemIds.length);
      itemIds.push(p.id);
      itemText.push(productText({ title: p.title, categories: p.categoryNames, description: p.description, reviews: p.reviews }));
      itemCategories.push(p.categoryIds);
      if (itemIds.length % 10000 === 0) report({ stage: 'products', done: itemIds.length });
    }
    report({ stage: 'products', done: itemIds.length });

    const userIds: string[] = [];
    const userIndex = new Map<string, number>();
    const eventUser = new Growable(new Int32Array(1 << 16), (n) => new Int32Array(n));
    const eventItem = new Growable(new Int32Array(1 << 16), (n) => new Int32Array(n));
    const eventTime = new Growable(new Float64Array(1 << 16), (n) => new Float64Array(n));
    const eventType = new Growable(new Uint8Array(1 << 16), (n) => new Uint8Array(n));
    const eventRating = new Growable(new Float32Array(1 << 16), (n) => new Float32Array(n));
    const typeIndex = new Map<string, number>(INTERACTION_TYPES.map((t, i) => [t, i]));
    for await (const e of this.repos.interactions.streamEvents(idPrefix)) {
      const item = itemIndex.get(e.productId);
      const type = typeIndex.get(e.type);
      if (item === undefined || type === undefined) continue;
      let user = userIndex.get(e.userId);
      if (user === undefined) {
        user = userIds.length;
        userIndex.set(e.userId, user);
        userIds.push(e.userId);
      }
      eventUser.push(user);
      eventItem.push(item);
      eventTime.push(e.at);
      eventType.push(type);
      eventRating.push(e.rating ?? NaN);
      if (eventUser.length % 100000 === 0) report({ stage: 'events', done: eventUser.length });
    }
    report({ stage: 'events', done: eventUser.length });

    const snapshot: GraphSnapshot = {
      userIds,
      itemIds,
      eventUser: eventUser.done(),
      eventItem: eventItem.done(),
      eventTime: eventTime.done(),
      eventType: eventType.done(),
      eventRating: eventRating.done(),
      itemText,
      itemCategories,
    };
    const embeddings = new Float32Array(itemIds.length * options.textDim);
    let found = 0;
    for await (const row of this.repos.products.streamTextEmbeddings(idPrefix)) {
      const item = itemIndex.get(row.id);
      if (item === undefined || row.vector.length !== options.textDim) continue;
      embeddings.set(row.vector, item * options.textDim);
      found += 1;
    }
    report({ stage: 'text embeddings', done: found });
    if (found > 0) {
      snapshot.itemTextEmbedding = embeddings;
      snapshot.textDim = options.textDim;
    }
    // Storage order is not ours to rely on: the same data from files gives the same snapshot.
    return canonicalOrder(snapshot);
  }
}
