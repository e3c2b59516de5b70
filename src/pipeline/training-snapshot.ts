/**
 * The snapshot `affinity train` and `affinity evaluate` read: product text is encoded first where it
 * is missing or changed, so a freshly seeded database is not evaluated without text (the GAT and the
 * text-only baseline would silently fall back to ids alone).
 */
import type { GraphSnapshot } from '../../graph-models';
import type { Config } from '../config';
import { TextEmbedder } from '../ml/text';
import type { InteractionRepository } from '../repositories/interaction.repository';
import type { ProductRepository } from '../repositories/product.repository';
import { EmbedTextReport, TextEmbeddingService } from './embed-text';
import { SnapshotProgress, SnapshotService } from './snapshot';

export interface TrainingSnapshotOptions {
  /** Only users and products whose ids start with it (tests train on their own shop). */
  idPrefix?: string;
  onEncodeProgress?: (done: number, total: number) => void;
  onEncoded?: (report: EmbedTextReport) => void;
  onSnapshotProgress?: (p: SnapshotProgress) => void;
}

export async function trainingSnapshot(
  deps: { repositories: { products: ProductRepository; interactions: InteractionRepository }; config: Pick<Config, 'models' | 'embeddings'> },
  options: TrainingSnapshotOptions = {},
): Promise<GraphSnapshot> {
  const { repositories, config } = deps;
  const embedder = new TextEmbedder({ encoder: config.models.textEncoder, modelDir: config.models.textModelDir, cacheDir: config.models.textCacheDir });
  try {
    const report = await new TextEmbeddingService(repositories.products, embedder).embedProducts({
      idPrefix: options.idPrefix,
      onProgress: options.onEncodeProgress,
    });
    options.onEncoded?.(report);
  } finally {
    await embedder.close();
  }
  return new SnapshotService(repositories).build({ textDim: config.embeddings.textDim, idPrefix: options.idPrefix, onProgress: options.onSnapshotProgress });
}
