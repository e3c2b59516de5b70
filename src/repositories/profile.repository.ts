/**
 * Cypher for behaviour profiles: the events profiles are computed from (streamed for a whole
 * population, batched per user for serving) and the (:ProfileModel) node that holds the trained
 * propensity / next-category weights and the population's RFM quintile breakpoints.
 */
import type { Database } from '../db/database';

export interface PopulationEventRow {
  userId: string;
  productId: string;
  at: number;
  type: string;
  weight: number | null;
}

export interface ProductFactsRow {
  id: string;
  price: number | null;
  categoryIds: string[];
}

export interface UserEventRow {
  userId: string;
  productId: string;
  at: number;
  type: string;
  weight: number | null;
  price: number | null;
  categoryIds: string[];
}

export interface ProfileModelRow {
  id: string;
  createdAt: string;
  modelVersion: string | null;
  /** Epoch ms of the latest event the model saw; the reference time for recency. */
  dataEnd: number;
  model: string;
  breakpoints: string;
  evaluation: string | null;
}

/** Serving reads at most this many of a user's latest events. */
export const MAX_PROFILE_EVENTS = 5000;

const POPULATION_EVENTS = {
  name: 'profile.populationEvents',
  cypher: `MATCH (u:User)-[r:INTERACTED]->(p:Product)
           WHERE $userIdPrefix IS NULL OR u.id STARTS WITH $userIdPrefix
           RETURN u.id AS userId, p.id AS productId, r.at.epochMillis AS at, r.type AS type, r.weight AS weight`,
};

const PRODUCT_FACTS = {
  name: 'profile.productFacts',
  cypher: `MATCH (p:Product) RETURN p.id AS id, p.price AS price, [(p)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds`,
};

const EVENTS_OF_USERS = {
  name: 'profile.eventsOfUsers',
  cypher: `UNWIND $ids AS id
           MATCH (u:User {id: id})
           CALL (u) {
             MATCH (u)-[r:INTERACTED]->(p:Product)
             RETURN r, p ORDER BY r.at DESC LIMIT ${MAX_PROFILE_EVENTS}
           }
           RETURN id AS userId, p.id AS productId, r.at.epochMillis AS at, r.type AS type, r.weight AS weight, p.price AS price,
                  [(p)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds`,
};

const CATEGORY_NAMES = { name: 'profile.categoryNames', cypher: 'MATCH (c:Category) RETURN c.id AS id, c.name AS name' };

const SAVE_MODEL = {
  name: 'profile.saveModel',
  cypher: `OPTIONAL MATCH (old:ProfileModel {current: true})
           SET old.current = false
           WITH count(old) AS retired
           CREATE (m:ProfileModel {id: $id, createdAt: datetime(), current: true, modelVersion: $modelVersion,
                                   dataEnd: $dataEnd, model: $model, breakpoints: $breakpoints, evaluation: $evaluation})
           WITH m
           // Keep the previous model for comparison, drop older ones.
           MATCH (stale:ProfileModel {current: false})
           WITH m, stale ORDER BY stale.createdAt DESC SKIP 1
           DETACH DELETE stale`,
};

const CURRENT_MODEL = {
  name: 'profile.currentModel',
  cypher: `MATCH (m:ProfileModel {current: true})
           RETURN m.id AS id, toString(m.createdAt) AS createdAt, m.modelVersion AS modelVersion, m.dataEnd AS dataEnd,
                  m.model AS model, m.breakpoints AS breakpoints, m.evaluation AS evaluation
           ORDER BY m.createdAt DESC LIMIT 1`,
};

export class ProfileRepository {
  constructor(private readonly db: Database) {}

  streamPopulationEvents(userIdPrefix: string | null): AsyncIterable<PopulationEventRow> {
    return this.db.stream<PopulationEventRow>(POPULATION_EVENTS, { userIdPrefix });
  }

  streamProductFacts(): AsyncIterable<ProductFactsRow> {
    return this.db.stream<ProductFactsRow>(PRODUCT_FACTS);
  }

  streamCategoryNames(): AsyncIterable<{ id: string; name: string }> {
    return this.db.stream<{ id: string; name: string }>(CATEGORY_NAMES);
  }

  async eventsOfUsers(ids: readonly string[]): Promise<UserEventRow[]> {
    return this.db.readOne<UserEventRow>(EVENTS_OF_USERS, { ids });
  }

  async saveModel(model: Omit<ProfileModelRow, 'createdAt'>): Promise<void> {
    await this.db.writeOne(SAVE_MODEL, model);
  }

  async currentModel(): Promise<ProfileModelRow | undefined> {
    return (await this.db.readOne<ProfileModelRow>(CURRENT_MODEL))[0];
  }
}
