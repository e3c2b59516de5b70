/**
 * Item-to-item discovery and inductive indexing: similar products (GAT space, or text space for
 * products the model has not seen), "also bought", semantic search over product text, and
 * embedding products that arrive after training so they are recommendable the day they arrive.
 */
import { productText, textHash } from '../domain/product-text';
import { textEncoderMatch } from '../domain/text-encoder-match';
import type { TextEmbedder } from '../ml/text';
import type { ScoredProductRow } from '../repositories/candidate.cypher';
import type { ProductRepository } from '../repositories/product.repository';
import type { ActiveModel, ActiveModelService, LoadedGat } from './active-model.service';
import type { ChangeSignals } from './change-signals';
import { MAX_NEW_PRODUCTS } from './recommendation/limits';
import type { InteractionRepository } from '../repositories/interaction.repository';
import { NO_FILTER } from './recommendation/filters';

export class ProductDiscoveryService {
  constructor(
    private readonly products: ProductRepository,
    private readonly interactions: InteractionRepository,
    private readonly active: ActiveModelService,
    private readonly embedder: () => TextEmbedder,
    /** Where a model that cannot place new products is reported (the server logs it). */
    private readonly signals: ChangeSignals | null = null,
  ) {}

  /** Versions already reported as trained on another encoder: one warning each, not one per write. */
  private readonly mismatchReported = new Set<string>();

  async similar(productId: string, first: number): Promise<ScoredProductRow[]> {
    const model = await this.active.current();
    const vectors = model ? await this.products.productVectors(model.slot, productId) : undefined;
    if (model && vectors?.vector) {
      const search = { vector: vectors.vector, k: first + 20, maxExtra: 0, limit: first, withVectors: false };
      const rows = await this.products.candidates(model.slot, search, { ...NO_FILTER, excludeIds: [productId] });
      return rows.map((r) => ({ id: r.id, score: r.score }));
    }
    if (vectors?.textVector) return this.products.similarByText(productId, vectors.textVector, first);
    return [];
  }

  async alsoBought(productId: string, first: number): Promise<ScoredProductRow[]> {
    return this.interactions.alsoBought(productId, first);
  }

  async search(text: string, first: number): Promise<ScoredProductRow[]> {
    // SearchArgs (resolvers/recommendation/recommendation.input.ts) refuses empty and overlong text.
    const query = text.trim();
    const vector = await this.embedder().embed(query);
    return this.products.textSearch(Array.from(vector), first);
  }

  /** How well a text matches each of these products, on search's scale; products without text vectors are left out. */
  async textScores(text: string, productIds: readonly string[]): Promise<ScoredProductRow[]> {
    const vector = await this.embedder().embed(text.trim());
    return this.products.textScores(Array.from(vector), productIds);
  }

  /**
   * Encodes the text of the given products and, when a model is active, writes their GAT input
   * (the text projection) into the active slot, so new products show up in recommendations and
   * `similar` at once. A model trained on another encoder's vectors (TEXT_ENCODER switched since)
   * cannot project these: the write stands, the projection is skipped and reported once.
   */
  async indexProducts(products: { id: string; title: string; description?: string | null; categoryNames: string[] }[]): Promise<void> {
    if (products.length === 0) return;
    const texts = products.map((p) => productText({ title: p.title, categories: p.categoryNames, description: p.description }));
    const embedder = this.embedder();
    const vectors = await embedder.embedMany(texts);
    const modelId = await embedder.modelId();
    await this.products.writeTextEmbeddings(
      products.map((p, i) => ({
        id: p.id,
        vector: Array.from(vectors[i]),
        hash: textHash(modelId, texts[i]),
      })),
    );
    const model = await this.active.current();
    const gat = model ? await this.active.gat(model) : null;
    if (!model || !gat) return;
    // Products the model trained on keep their learned embedding; only newcomers get the text projection.
    const newcomers = products.flatMap((p, i) => (gat.itemIndex.has(p.id) ? [] : [i]));
    if (newcomers.length === 0 || !this.takesVectorsOf(model, gat, embedder)) return;
    for (const i of newcomers) {
      await this.products.writeProductVector(model.slot, products[i].id, Array.from(gat.model.embedItemFromText(vectors[i])), MAX_NEW_PRODUCTS);
    }
    // The version now notes new products, which changes how its lists serve (ServingCache.listed).
    this.active.invalidate();
  }

  private takesVectorsOf(model: ActiveModel, gat: LoadedGat, embedder: TextEmbedder): boolean {
    const match = textEncoderMatch(embedder.spec.name, { id: model.id, textDim: gat.model.textDim });
    if (match.matches !== false) return true;
    if (!this.mismatchReported.has(model.id)) {
      this.mismatchReported.add(model.id);
      this.signals?.emit('textEncoderMismatch', match);
    }
    return false;
  }
}
