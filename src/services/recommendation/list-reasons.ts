/**
 * The recent item behind each entry of a list the serving cache keeps, computed once when the list
 * is stored rather than on every request that serves it (the serving cache's hot path). The same
 * computation reasons.ts runs for other sources (RecentVectors over the model's vectors).
 */
import { RecentVectors } from '../../ml/closest-item';
import type { ActiveModel, LoadedGat } from '../active-model.service';

export interface ListClosest {
  /** Per list entry, the index into the recent ids of the most similar recent item, or -1. */
  recentIndex: Int32Array;
  similarity: Float32Array;
}

export class ListReasons {
  constructor(private readonly gatOf: (model: ActiveModel) => Promise<LoadedGat | null>) {}

  /** An explainer for `model`'s lists, or null when its artifact is not here (requests compute reasons then). */
  async forModel(model: ActiveModel): Promise<((recentIds: string[], listIds: string[]) => ListClosest | null) | null> {
    const gat = await this.gatOf(model);
    if (!gat) return null;
    return (recentIds, listIds) => {
      const known = recentIds.flatMap((id, i) => {
        const index = gat.itemIndex.get(id);
        return index === undefined ? [] : [{ productId: String(i), vector: gat.itemVector(index) }];
      });
      const recent = new RecentVectors(known);
      const recentIndex = new Int32Array(listIds.length).fill(-1);
      const similarity = new Float32Array(listIds.length);
      for (let i = 0; i < listIds.length; i++) {
        const index = gat.itemIndex.get(listIds[i]);
        // A product newer than the artifact: requests compute its reason from Neo4j's vector.
        if (index === undefined) return null;
        const best = recent.closest(gat.itemVector(index));
        if (best) {
          recentIndex[i] = Number(best.productId);
          similarity[i] = best.similarity;
        }
      }
      return { recentIndex, similarity };
    };
  }
}
