/**
 * The text a product is known by, for the sentence encoder: title first (it carries the most
 * meaning per token), then categories, description and a few review snippets. It must not depend on
 * where the product was read from: Neo4j lists categories in storage order, files in theirs, so
 * categories are sorted here, and the reviews are the earliest MAX_REVIEWS by (time, event id)
 * wherever they are picked (product.repository.ts PRODUCTS, graph-models/data/from-dataset.ts).
 */
export interface ProductTextParts {
  title: string;
  categories: readonly string[];
  description?: string | null;
  reviews?: readonly string[];
}

import { createHash } from 'node:crypto';

const MAX_REVIEW_CHARS = 200;
export const MAX_REVIEWS = 3;

/** Identifies a text embedding: the same text under the same encoder never needs encoding again. */
export function textHash(modelId: string, text: string): string {
  return createHash('sha256').update(modelId).update('\0').update(text).digest('hex');
}

export function productText(parts: ProductTextParts): string {
  const pieces = [parts.title.trim()];
  // Code-unit order, the same on every machine and locale.
  if (parts.categories.length > 0) pieces.push(`Categories: ${[...parts.categories].sort().join(', ')}.`);
  if (parts.description) pieces.push(parts.description.trim());
  for (const review of (parts.reviews ?? []).slice(0, MAX_REVIEWS)) pieces.push(`Review: ${review.trim().slice(0, MAX_REVIEW_CHARS)}`);
  return pieces.filter((p) => p.length > 0).join(' ');
}
