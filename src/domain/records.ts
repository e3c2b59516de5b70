/**
 * Plain records that flow from importers and generators into the graph.
 * They know nothing of Neo4j or GraphQL, so seeds, ingestion and training share them.
 */
export const INTERACTION_TYPES = ['VIEW', 'CLICK', 'CART', 'PURCHASE', 'RATE', 'REVIEW'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** The longest id we accept from clients for users, products, categories and events. */
export const MAX_ID_LENGTH = 200;

export interface UserRecord {
  id: string;
  /** ISO-8601 instant. */
  createdAt?: string;
  country?: string;
  /** Demographics where a data set has them (GroupLens ml-100k and ml-1m, a generic users.csv). */
  age?: number;
  gender?: string;
  occupation?: string;
  zip?: string;
}

export interface CategoryRecord {
  id: string;
  name: string;
  parentId?: string;
}

export interface ProductRecord {
  id: string;
  title: string;
  description?: string;
  price?: number;
  currency?: string;
  brand?: string;
  inStock?: boolean;
  categoryIds: string[];
}

export interface InteractionRecord {
  /** Globally unique; re-sending the same eventId is a no-op. */
  eventId: string;
  userId: string;
  productId: string;
  type: InteractionType;
  /** Milliseconds since the epoch (UTC). */
  at: number;
  /** 0.5..5 stars for RATE events. */
  rating?: number;
  reviewText?: string;
  sessionId?: string;
}

/** A whole data set, as produced by an importer or the synthetic generator. */
export interface Dataset {
  name: string;
  users: UserRecord[];
  categories: CategoryRecord[];
  products: ProductRecord[];
  interactions: InteractionRecord[];
}
