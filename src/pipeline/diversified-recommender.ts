/**
 * A GAT re-ranked for diversity as serving does it, for offline replay: per user the pool of best
 * unseen items serving would fetch (candidatePool), re-ordered by the same MMR (ranking.ts) over the
 * model's item vectors. The harness ranks by score, so the re-ordered pool gets scores above every
 * other item, in MMR order.
 */
import type { FitContext, FitReport, GatRecommender, Recommender } from '../../graph-models';
import { mmrRerank } from '../ml/mmr';
import { candidatePool } from '../services/recommendation/request';

export class DiversifiedRecommender implements Recommender {
  readonly name: string;
  private known: FitContext['split']['knownBeforeTest'] | undefined;
  private items: Float32Array[] = [];

  constructor(private readonly inner: GatRecommender, private readonly diversity: number, private readonly k: number) {
    this.name = `${inner.name} diversity ${diversity}`;
  }

  async fit(ctx: FitContext): Promise<FitReport> {
    const report = await this.inner.fit(ctx);
    // Replay ranks the held-out (test) period, where the user's train and validation items are known.
    this.known = ctx.split.knownBeforeTest;
    const { items, dim } = this.inner.embeddings();
    this.items = Array.from({ length: items.length / dim }, (_, i) => items.subarray(i * dim, (i + 1) * dim));
    return report;
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    this.inner.scoreUsers(users, out);
    const numItems = this.items.length;
    const pool = candidatePool(this.k, this.diversity, false);
    for (let b = 0; b < users.length; b++) {
      const row = out.subarray(b * numItems, (b + 1) * numItems);
      const known = new Set<number>();
      if (this.known) for (let j = this.known.indptr[users[b]]; j < this.known.indptr[users[b] + 1]; j++) known.add(this.known.indices[j]);
      const candidates = [...row.keys()].filter((i) => !known.has(i)).sort((x, y) => row[y] - row[x]).slice(0, pool);
      const order = mmrRerank(candidates.map((i) => ({ score: row[i], vector: this.items[i] })), this.diversity, pool);
      let top = -Infinity;
      for (let i = 0; i < numItems; i++) if (row[i] > top) top = row[i];
      order.forEach((c, rank) => (row[candidates[c]] = top + 1 + (order.length - rank)));
    }
  }
}
