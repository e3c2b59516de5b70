/**
 * Loads a whole Dataset (from an importer or the generator) into Neo4j in batches, with progress.
 * Nodes are MERGEd by id and events go through ingestion (idempotent by eventId), so loading the
 * same data twice adds nothing.
 */
import type { Dataset } from '../domain/records';
import type { CategoryRepository } from '../repositories/category.repository';
import type { InteractionRepository } from '../repositories/interaction.repository';
import type { ProductRepository } from '../repositories/product.repository';
import type { UserRepository } from '../repositories/user.repository';
import { InteractionService } from '../services/interaction.service';
import { RecommendationTokens } from '../services/recommendation/recommendation-token';

export interface LoadProgress {
  stage: 'categories' | 'products' | 'users' | 'interactions';
  done: number;
  total: number;
}

export interface LoadReport {
  categories: number;
  products: number;
  users: number;
  interactionsSent: number;
  interactionsCreated: number;
  interactionsRejected: number;
  /** A few rejected events with their reasons, to show the operator. */
  firstRejections: string[];
  seconds: number;
}

export class DatasetLoader {
  constructor(
    private readonly repos: {
      categories: CategoryRepository;
      products: ProductRepository;
      users: UserRepository;
      interactions: InteractionRepository;
    },
    private readonly batchSize = 5000,
    private readonly tokens = new RecommendationTokens('seed-loader'),
  ) {}

  async load(dataset: Dataset, onProgress: (p: LoadProgress) => void = () => undefined): Promise<LoadReport> {
    const started = Date.now();
    // Parents first, so a category's parent link finds a named node.
    const parents = new Map(dataset.categories.map((c) => [c.id, c.parentId]));
    const categories = [...dataset.categories].sort((a, b) => depth(parents, a.id) - depth(parents, b.id));
    await this.inBatches('categories', categories, (batch) => this.repos.categories.upsert(batch), onProgress);
    await this.inBatches('products', dataset.products, (batch) => this.repos.products.upsert(batch), onProgress);
    await this.inBatches('users', dataset.users, (batch) => this.repos.users.upsert(batch).then(() => undefined), onProgress);
    // Events go through the same ingestion path as recordInteractions: validation, idempotency, retries.
    const ingestion = new InteractionService(this.repos.interactions, this.batchSize, this.tokens);
    let created = 0;
    let rejected = 0;
    const firstRejections: string[] = [];
    await this.inBatches(
      'interactions',
      dataset.interactions,
      async (batch) => {
        const outcome = await ingestion.record(batch);
        created += outcome.accepted;
        rejected += outcome.rejected;
        for (const r of outcome.results) {
          if (r.status === 'REJECTED' && firstRejections.length < 5) firstRejections.push(`${r.eventId}: ${r.reason}`);
        }
      },
      onProgress,
    );
    return {
      categories: categories.length,
      products: dataset.products.length,
      users: dataset.users.length,
      interactionsSent: dataset.interactions.length,
      interactionsCreated: created,
      interactionsRejected: rejected,
      firstRejections,
      seconds: (Date.now() - started) / 1000,
    };
  }

  private async inBatches<T>(
    stage: LoadProgress['stage'],
    items: T[],
    write: (batch: T[]) => Promise<void>,
    onProgress: (p: LoadProgress) => void,
  ): Promise<void> {
    for (let i = 0; i < items.length; i += this.batchSize) {
      await write(items.slice(i, i + this.batchSize));
      onProgress({ stage, done: Math.min(i + this.batchSize, items.length), total: items.length });
    }
    if (items.length === 0) onProgress({ stage, done: 0, total: 0 });
  }
}

function depth(parents: Map<string, string | undefined>, id: string): number {
  let d = 0;
  for (let p = parents.get(id); p && d < 20; p = parents.get(p)) d += 1;
  return d;
}
