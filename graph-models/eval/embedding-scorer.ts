import { Recommender } from './recommender';

/** Published embeddings of a trained model, with the ids of their rows. */
export interface IdEmbeddings {
  userIds: string[];
  itemIds: string[];
  users: Float32Array;
  items: Float32Array;
  dim: number;
}

export interface EmbeddingScorer extends Pick<Recommender, 'scoreUsers'> {
  /** True when the embeddings have a row for the snapshot's user u. */
  knowsUser(user: number): boolean;
}

/**
 * Scores a newer snapshot's users and items with an older model's embeddings, matched by id (inner
 * product, as served): how the active model ranks the same held-out window a candidate is
 * evaluated on. Items the model has no row for score -Infinity (it cannot recommend them);
 * users it does not know should be left out of the comparison (knowsUser).
 */
export function embeddingScorer(model: IdEmbeddings, snapshot: { userIds: string[]; itemIds: string[] }): EmbeddingScorer {
  const userRow = new Map(model.userIds.map((id, r) => [id, r]));
  const itemRow = new Map(model.itemIds.map((id, r) => [id, r]));
  const users = Int32Array.from(snapshot.userIds, (id) => userRow.get(id) ?? -1);
  const items = Int32Array.from(snapshot.itemIds, (id) => itemRow.get(id) ?? -1);
  const { dim } = model;
  return {
    knowsUser: (u) => users[u] >= 0,
    scoreUsers(batch, out) {
      const numItems = items.length;
      for (let b = 0; b < batch.length; b++) {
        const ur = users[batch[b]];
        const row = b * numItems;
        for (let i = 0; i < numItems; i++) {
          const ir = items[i];
          if (ur < 0 || ir < 0) {
            out[row + i] = ir < 0 ? -Infinity : 0;
            continue;
          }
          let s = 0;
          for (let d = 0; d < dim; d++) s += model.users[ur * dim + d] * model.items[ir * dim + d];
          out[row + i] = s;
        }
      }
    },
  };
}
