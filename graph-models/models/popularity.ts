import { FitContext, FitReport, Recommender } from '../eval/recommender';

/** Ranks items by how many distinct users interacted with them in train; the same list for everyone. */
export class PopularityRecommender implements Recommender {
  readonly name = 'popularity';
  private counts = new Float32Array(0);

  async fit(ctx: FitContext): Promise<FitReport> {
    const { itemUsers, numItems } = ctx.train;
    this.counts = new Float32Array(numItems);
    for (let i = 0; i < numItems; i++) this.counts[i] = itemUsers.indptr[i + 1] - itemUsers.indptr[i];
    return { epochs: 0, params: {} };
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    for (let b = 0; b < users.length; b++) out.set(this.counts, b * this.counts.length);
  }
}
