/**
 * Item-to-item discovery and inductive indexing: similar products (GAT space, or text space for
 * products the model has not seen), "also bought", semantic search over product text, and
 * embedding products that arrive after training so they are recommendable the day they arrive.
 */
import { productText, textHash } from '../domain/product-text';
import type { TextEmbedder } from '../ml/text';
import type { ScoredProductRow } from '../repositories/candidate.cypher';
import type { ProductRepository } from '../repositories/product.repository';
import type { ActiveModelService } from './active-model.service';
import { MAX_NEW_PRODUCTS } from './recommendation/limits';
import type { InteractionRepository } from '../repositories/interaction.repository';
import { NO_FILTER } from './recommendation/filters';

export class ProductDiscoveryService {
  constructor(
    private readonly products: ProductRepository,
    private readonly interactions: InteractionRepository,
    private readonly active: ActiveModelService,
    private readonly embedder: () => TextEmbedder,
  ) {}

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

  /**
   * Encodes the text of the given products and, when a model is active, writes their GAT input
   * (the text projection) into the active slot, so new products show up in recommendations and
   * `similar` at once.
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
    let placed = 0;
    for (let i = 0; i < products.length; i++) {
      // Products the model trained on keep their learned embedding; only newcomers get the text projection.
      if (gat.itemIndex.has(products[i].id)) continue;
      await this.products.writeProductVector(model.slot, products[i].id, Array.from(gat.model.embedItemFromText(vectors[i])), MAX_NEW_PRODUCTS);
      placed += 1;
    }
    // The version now notes new products, which changes how its lists serve (ServingCache.listed).
    if (placed > 0) this.active.invalidate();
  }
}
