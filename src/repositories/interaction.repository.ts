/**
 * Cypher for interaction events: (:User)-[:INTERACTED {eventId, type, at, weight, rating?, reviewText?}]->(:Product).
 * The interaction_event_id constraint makes eventId unique, so concurrent writers of the same
 * event store it once.
 */
import type { Database } from '../db/database';
import type { InteractionType } from '../domain/records';
import { CandidateFilter, FILTER, FILTER_SEEN, ScoredProductRow, SEEN } from './candidate.cypher';

export interface StoredEvent {
  eventId: string;
  userId: string;
  productId: string;
  type: InteractionType;
  /** Epoch milliseconds. */
  at: number;
  weight: number;
  rating: number | null;
  reviewText: string | null;
  sessionId: string | null;
  recommendationId?: string | null;
}

export interface InteractionRow {
  eventId: string;
  userId: string;
  productId: string;
  type: InteractionType;
  at: number;
  weight: number;
  rating: number | null;
  reviewText: string | null;
}

export interface InteractionPageArgs {
  types: InteractionType[] | null;
  /** Exclusive cursor position: (at, eventId) of the last edge seen, newest first. */
  afterAt: number | null;
  afterEventId: string | null;
  limit: number;
}

/** What recording one event did, when it did not create it. */
export type RecordRefusal = 'DUPLICATE' | 'UNKNOWN_PRODUCT';

/**
 * Product check, duplicate check and write of a whole batch in one statement (one round trip).
 * CREATE, not MERGE: a MERGE on the relationship pattern expands every existing edge between the
 * pair, while the interaction_event_id constraint's index answers the duplicate check by seek and
 * makes a concurrent writer of the same eventId fail its whole transaction at commit, which the
 * service retries (the retry then finds the event and reports it as a duplicate). One row: the
 * events not created, and the stamp the written users got (so this process's serving cache need
 * not re-read them when the change feed reports it).
 */
const RECORD_EVENTS = {
  name: 'interaction.record',
  cypher: `UNWIND $events AS e
           OPTIONAL MATCH (p:Product {id: e.productId})
           WITH e, p, EXISTS { ()-[:INTERACTED {eventId: e.eventId}]->() } AS seen
           CALL (e, p, seen) {
             WITH e, p WHERE p IS NOT NULL AND NOT seen
             MERGE (u:User {id: e.userId}) ON CREATE SET u.createdAt = datetime()
             SET u.eventsRecordedAt = datetime()
             CREATE (u)-[:INTERACTED {eventId: e.eventId, type: e.type, at: datetime({epochMillis: toInteger(e.at)}),
                                      weight: e.weight, rating: e.rating, reviewText: e.reviewText,
                                      sessionId: e.sessionId, recommendationId: e.recommendationId}]->(p)
           }
           WITH collect(CASE WHEN p IS NULL OR seen THEN {eventId: e.eventId, refusal: CASE WHEN p IS NULL THEN 'UNKNOWN_PRODUCT' ELSE 'DUPLICATE' END} END) AS refused
           RETURN refused, datetime().epochMillis AS recordedAt`,
};

/** What one `record` did: the events it did not create, with why, and the users' new change-feed stamp. */
export interface RecordResult {
  refused: Map<string, RecordRefusal>;
  /** `eventsRecordedAt` as this statement set it on every user it wrote (the statement clock). */
  recordedAt: number;
}

/**
 * Binds `interactions`: a page of `u`'s events after the cursor, newest first (ties by eventId),
 * one map per event. Collected in the subquery, so a user without events still gives one row. Only
 * the page's products are read (endNode after the LIMIT): INTERACTED always ends at a Product.
 */
export const INTERACTION_PAGE_OF_U = `CALL (u) {
             MATCH (u)-[r:INTERACTED]->()
             WHERE ($types IS NULL OR r.type IN $types)
               AND ($afterAt IS NULL OR r.at.epochMillis < $afterAt
                    OR (r.at.epochMillis = $afterAt AND r.eventId < $afterEventId))
             WITH r ORDER BY r.at DESC, r.eventId DESC LIMIT toInteger($limit)
             RETURN collect({eventId: r.eventId, productId: endNode(r).id, type: r.type, at: r.at.epochMillis,
                             weight: r.weight, rating: r.rating, reviewText: r.reviewText}) AS interactions
           }`;

/** How many events of `u` the page's `$types` allow, from the degree store when no types are given. */
export const INTERACTION_COUNT_OF_U = 'COUNT { (u)-[r:INTERACTED]->() WHERE $types IS NULL OR r.type IN $types }';

const PAGE_BY_USERS = {
  name: 'interaction.pageByUsers',
  cypher: `UNWIND $userIds AS userId
           MATCH (u:User {id: userId})
           ${INTERACTION_PAGE_OF_U}
           RETURN userId, interactions`,
};

const COUNT_BY_USERS = {
  name: 'interaction.countByUsers',
  cypher: `UNWIND $userIds AS userId
           MATCH (u:User {id: userId})
           RETURN userId, ${INTERACTION_COUNT_OF_U} AS count`,
};

export interface PopulationEventRow {
  userId: string;
  productId: string;
  at: number;
  type: string;
  weight: number | null;
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

export interface EventRow {
  userId: string;
  productId: string;
  at: number;
  type: string;
  rating: number | null;
}

/** Serving reads at most this many of a user's latest events. */
export const MAX_PROFILE_EVENTS = 5000;

/*
 * Cypher fragments over one user's events, `u` bound. Serving (personal query), publish (stored
 * lists) and the serving cache's load all use them, so they agree on what "fresh" and "latest" mean.
 */
/** The user's events at or after `$since` (the serving version's training time): these make a user fresh. */
export const FRESH_EVENTS_OF_U = 'COUNT { (u)-[r:INTERACTED]->() WHERE r.at >= datetime({epochMillis: toInteger($since)}) }';

/** Binds `recent`: `item` (over `r` and `p`) for each of the user's `$recentLimit` latest events, newest first. */
export const LATEST_EVENTS_OF_U = (item: string): string => `CALL (u) {
             MATCH (u)-[r:INTERACTED]->(p:Product)
             WITH r, p ORDER BY r.at DESC, r.eventId DESC LIMIT toInteger($recentLimit)
             RETURN collect(${item}) AS recent
           }`;

const POPULATION_EVENTS = {
  name: 'profile.populationEvents',
  cypher: `MATCH (u:User)-[r:INTERACTED]->(p:Product)
           WHERE $userIdPrefix IS NULL OR u.id STARTS WITH $userIdPrefix
           RETURN u.id AS userId, p.id AS productId, r.at.epochMillis AS at, r.type AS type, r.weight AS weight`,
};

const EVENTS_OF_USERS = {
  name: 'profile.eventsOfUsers',
  cypher: `UNWIND $ids AS id
           MATCH (u:User {id: id})
           CALL (u) {
             MATCH (u)-[r:INTERACTED]->(p:Product)
             RETURN r, p ORDER BY r.at DESC, r.eventId DESC LIMIT ${MAX_PROFILE_EVENTS}
           }
           RETURN id AS userId, p.id AS productId, r.at.epochMillis AS at, r.type AS type, r.weight AS weight, p.price AS price,
                  [(p)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds`,
};

const EVENTS = {
  name: 'snapshot.events',
  cypher: `MATCH (u:User)-[r:INTERACTED]->(p:Product)
           WHERE $idPrefix IS NULL OR u.id STARTS WITH $idPrefix
           RETURN u.id AS userId, p.id AS productId, r.at.epochMillis AS at, r.type AS type, r.rating AS rating`,
};

/** [productId, type, weight, at epoch ms] of one of the user's latest events, newest first. */
export type RecentEventRow = [string, string, number, number];

/** A RecentEventRow in Cypher, over LATEST_EVENTS_OF_U's `r` and `p`. */
export const RECENT_EVENT = '[p.id, r.type, r.weight, r.at.epochMillis]';

/** A user's latest events, re-read after they acted: the input of their fold-in. */
export interface LatestEventsRow {
  id: string;
  /** Events at or after the version's training time; 0 for a user whose new events are backdated. */
  freshEvents: number;
  recent: RecentEventRow[];
  /** The user's change-feed stamp as of this read (epoch ms). */
  recordedAt: number | null;
}

const LATEST_EVENTS = {
  name: 'servingCache.latestEvents',
  cypher: `UNWIND $userIds AS userId
           MATCH (u:User {id: userId})
           ${LATEST_EVENTS_OF_U(RECENT_EVENT)}
           RETURN u.id AS id, ${FRESH_EVENTS_OF_U} AS freshEvents, recent, u.eventsRecordedAt.epochMillis AS recordedAt`,
};

/** Weighted interactions since `since`, the top `pool` products; bought or carted count more than views. */
const TRENDING = {
  name: 'recommendation.trending',
  cypher: `MATCH (:User)-[r:INTERACTED]->(node:Product)
           WHERE r.at >= datetime({epochMillis: toInteger($since)})
           WITH node, sum(r.weight) AS score ORDER BY score DESC, node.id LIMIT toInteger($pool)
           RETURN node.id AS id, score`,
};

/** The allowed products among scored rows, best first: the filter over a trending pool. */
const ALLOWED_OF = {
  name: 'recommendation.allowedOf',
  cypher: `UNWIND $rows AS row
           MATCH (node:Product {id: row.id}) WHERE ${FILTER}
           WITH node.id AS id, row.score AS score ORDER BY score DESC, id LIMIT toInteger($limit)
           RETURN id, score`,
};

/**
 * Every allowed product by how many interactions it has (the degree store, no relationship reads),
 * for when the trending pool holds too few allowed products. One pass over the catalogue.
 */
const POPULAR_ALLOWED = {
  name: 'recommendation.popularAllowed',
  cypher: `${SEEN}
           MATCH (node:Product) WHERE ${FILTER_SEEN}
           WITH node, COUNT { (node)<-[:INTERACTED]-() } AS score
           ORDER BY score DESC, node.id LIMIT toInteger($limit)
           RETURN node.id AS id, score`,
};

const LATEST_EVENT = {
  name: 'recommendation.latestEvent',
  cypher: 'MATCH ()-[r:INTERACTED]->() RETURN max(r.at).epochMillis AS at',
};

/** Users who interacted with the product recently (bounded, so hubs stay cheap), and what else they took. */
const ALSO_BOUGHT = {
  name: 'recommendation.alsoBought',
  cypher: `MATCH (p:Product {id: $id})<-[r:INTERACTED]-(u:User)
           WITH p, u, r ORDER BY r.weight DESC, r.at DESC LIMIT 300
           MATCH (u)-[r2:INTERACTED]->(other:Product) WHERE other <> p
           RETURN other.id AS id, count(DISTINCT u) AS score ORDER BY score DESC, id LIMIT toInteger($limit)`,
};

export class InteractionRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores the events whose product exists and whose eventId is new (unknown users are created), in
   * one statement; returns the others with why. Throws a constraint violation when another writer
   * stored one of the eventIds first (nothing of the batch is then stored).
   */
  async record(events: StoredEvent[]): Promise<RecordResult> {
    // Sorting by user then product gives concurrent batches the same lock order, avoiding deadlocks.
    const sorted = [...events].sort((a, b) =>
      a.userId === b.userId ? (a.productId < b.productId ? -1 : 1) : a.userId < b.userId ? -1 : 1,
    );
    const [row] = await this.db.writeOne<{ refused: { eventId: string; refusal: RecordRefusal }[]; recordedAt: number }>(RECORD_EVENTS, {
      events: sorted.map((e) => ({ ...e, recommendationId: e.recommendationId ?? null })),
    });
    return { refused: new Map(row.refused.map((r) => [r.eventId, r.refusal])), recordedAt: row.recordedAt };
  }

  async pageByUsers(userIds: readonly string[], args: InteractionPageArgs): Promise<InteractionRow[]> {
    const rows = await this.db.readOne<{ userId: string; interactions: Omit<InteractionRow, 'userId'>[] }>(PAGE_BY_USERS, { userIds, ...args });
    return rows.flatMap((row) => row.interactions.map((event) => ({ ...event, userId: row.userId })));
  }

  async countByUsers(userIds: readonly string[], types: InteractionType[] | null): Promise<Map<string, number>> {
    const rows = await this.db.readOne<{ userId: string; count: number }>(COUNT_BY_USERS, { userIds, types });
    return new Map(rows.map((r) => [r.userId, r.count]));
  }

  /**
   * Every event (of users under `idPrefix` when given), for the training snapshot; streamed, so
   * memory stays bounded by what the caller keeps.
   */
  streamEvents(idPrefix: string | null = null): AsyncIterable<EventRow> {
    return this.db.stream<EventRow>(EVENTS, { idPrefix });
  }

  /** Every event of the users under a prefix (all users when null), for fitting the profile model. */
  streamPopulationEvents(userIdPrefix: string | null): AsyncIterable<PopulationEventRow> {
    return this.db.stream<PopulationEventRow>(POPULATION_EVENTS, { userIdPrefix });
  }

  /** Each user's latest MAX_PROFILE_EVENTS events with their products' price and categories, for profiles. */
  async eventsOfUsers(ids: readonly string[]): Promise<UserEventRow[]> {
    return this.db.readOne<UserEventRow>(EVENTS_OF_USERS, { ids });
  }

  /** The `pool` most-interacted products since `since`, then filtered: cold-start candidates. */
  /** The `pool` products with the most weighted interactions since `since` (epoch ms), best first, ties by id. */
  async trending(since: number, pool: number): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(TRENDING, { since, pool });
  }

  /** The first `limit` of `rows` that `filter` allows, in score order. */
  async allowedOf(rows: ScoredProductRow[], limit: number, filter: CandidateFilter): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(ALLOWED_OF, { rows, limit, ...filter });
  }

  /** The `limit` allowed products with the most interactions, ties by id. */
  async popularAllowed(limit: number, filter: CandidateFilter): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(POPULAR_ALLOWED, { limit, ...filter });
  }

  async latestEventAt(): Promise<number | null> {
    return (await this.db.readOne<{ at: number | null }>(LATEST_EVENT))[0]?.at ?? null;
  }

  async alsoBought(id: string, limit: number): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(ALSO_BOUGHT, { id, limit });
  }

  /** The latest events of these users (those that exist), for fold-in. */
  async latestEvents(userIds: string[], args: { since: number; recentLimit: number }): Promise<LatestEventsRow[]> {
    return this.db.readOne<LatestEventsRow>(LATEST_EVENTS, { userIds, ...args });
  }
}
