/**
 * The text a product is known by, for the sentence encoder: title first (it carries the most
 * meaning per token), then categories, description and a few review snippets.
 */
export interface ProductTextParts {
  title: string;
  categories: readonly string[];
  description?: string | null;
  reviews?: readonly string[];
}

const MAX_REVIEW_CHARS = 200;

export function productText(parts: ProductTextParts): string {
  const pieces = [parts.title.trim()];
  if (parts.categories.length > 0) pieces.push(`Categories: ${parts.categories.join(', ')}.`);
  if (parts.description) pieces.push(parts.description.trim());
  for (const review of (parts.reviews ?? []).slice(0, 3)) pieces.push(`Review: ${review.trim().slice(0, MAX_REVIEW_CHARS)}`);
  return pieces.filter((p) => p.length > 0).join(' ');
}
