/**
 * `affinity embed-text`: encodes each product's text with the transformer sentence encoder and
 * writes Product.textEmbedding. Products whose text (and model) did not change since the last run
 * keep their vector: the content hash is stored beside it.
 */
import { productText, textHash } from '../domain/product-text';
import type { TextEmbedder } from '../ml/text';
import type { ProductRepository } from '../repositories/product.repository';

export interface EmbedTextReport {
  products: number;
  encoded: number;
  unchanged: number;
  seconds: number;
  /**
   * Set when the text index had another width than the encoder's (TEXT_ENCODER switched): the index
   * and every stored text vector were dropped, so every product was encoded again.
   */
  rebuiltIndex: { fromDim: number; toDim: number } | null;
}

const WRITE_BATCH = 500;

export class TextEmbeddingService {
  constructor(
    private readonly products: ProductRepository,
    private readonly embedder: TextEmbedder,
  ) {}

  /** Encodes products whose text changed (all with `force`; only ids under `idPrefix` when given). */
  async embedProducts(options: { force?: boolean; idPrefix?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<EmbedTextReport> {
    const started = Date.now();
    const modelId = await this.embedder.modelId();
    // The text index follows the encoder: a switch to one of another width rebuilds it (and re-encodes all).
    const indexDim = await this.products.textIndexDimension();
    if (indexDim !== this.embedder.dimension) await this.products.resizeTextIndex(this.embedder.dimension);
    const rebuiltIndex = indexDim !== null && indexDim !== this.embedder.dimension ? { fromDim: indexDim, toDim: this.embedder.dimension } : null;
    const pending: { id: string; text: string; hash: string }[] = [];
    let products = 0;
    for await (const p of this.products.streamProducts(options.idPrefix ?? null)) {
      products += 1;
      const text = productText({ title: p.title, categories: p.categoryNames, description: p.description, reviews: p.reviews });
      const hash = textHash(modelId, text);
      if (options.force || p.textHash !== hash) pending.push({ id: p.id, text, hash });
    }
    for (let i = 0; i < pending.length; i += WRITE_BATCH) {
      const batch = pending.slice(i, i + WRITE_BATCH);
      const vectors = await this.embedder.embedMany(batch.map((b) => b.text));
      await this.products.writeTextEmbeddings(batch.map((b, j) => ({ id: b.id, hash: b.hash, vector: Array.from(vectors[j]) })));
      options.onProgress?.(Math.min(i + WRITE_BATCH, pending.length), pending.length);
    }
    return { products, encoded: pending.length, unchanged: products - pending.length, seconds: (Date.now() - started) / 1000, rebuiltIndex };
  }
}
