/**
 * Cypher for candidate lists: each published user's list stored at publish (the slot's vector index
 * answer for their vector, minus their products), read per request or in pages by the serving
 * cache, and fold-in lists searched for users who acted since training. Index and property names
 * are fixed per slot (model-version.repository.ts SLOTS), never input.
 */
import type { Database } from '../db/database';
import { CandidateFilter, CandidateList, CandidateRow, EXACT_SCORE, FILTER_SEEN, LISTED_FILTER, LISTED_ROW, OWN_EXTRA, RecentItemRow, ScoredIdRow, SEARCHED_ROW, SEEN_OF_U, toCandidate } from './candidate.cypher';
import { FRESH_EVENTS_OF_U, LATEST_EVENTS_OF_U, RECENT_EVENT, RecentEventRow } from './interaction.repository';
import { perSlot, Slot, SLOTS } from './model-version.repository';

/**
 * Everything one request needs about a user, in one round trip: whether the published vector is
 * still current, the latest events (for fold-in and reasons) and, when it is current, the candidates.
 */
export interface PersonalRow {
  hasVector: boolean;
  /** The candidates came from the user's stored list rather than an index search. */
  fromList: boolean;
  freshEvents: number;
  events: number;
  recent: RecentItemRow[];
  /** Empty unless the published vector serves (no events after training). */
  candidates: CandidateRow[];
}

/** PersonalRow as Neo4j sends it: rows as positional lists. */
interface PersonalRecord extends Omit<PersonalRow, 'recent' | 'candidates'> {
  recent: [string, string | null, string, number, number][];
  candidates: CandidateList[];
}


export interface ListedUserRow {
  id: string;
  ids: string[];
  scores: number[];
  /** Events at or after the version's training time: such a user is folded in, not served from the list. */
  freshEvents: number;
  recent: RecentEventRow[];
}

/**
 * The published-user path in one round trip. A user whose vector is current is served from the
 * candidate list stored at publish (materialiseQuery), filtered here, merged by score with the
 * products embedded since publish (the version's newProductIds, scored exactly), when the list is
 * valid (its version's candidateListSize is set) and holds enough allowed products; otherwise from
 * the index, asked for $k more than the user's interaction count (capped), since excluded
 * interacted products would otherwise eat the top-k. New products need no interacted check: without
 * fresh events the user cannot have touched a product newer than the model.
 */
const personalQuery = (slot: Slot) => {
  const { productIndex: index, property, lists } = SLOTS[slot];
  return {
    name: `recommendation.personal.${index}`,
    cypher: `MATCH (u:User {id: $userId})
           WITH u, ${FRESH_EVENTS_OF_U} AS freshEvents,
                COUNT { (u)-[:INTERACTED]->() } AS events,
                CASE WHEN $useLists AND u.${lists.ids} IS NOT NULL
                     THEN COLLECT { MATCH (m:ModelVersion {id: $modelId}) RETURN [m.candidateListSize, coalesce(m.newProductIds, [])] }[0]
                END AS listState
           WITH u, freshEvents, events, listState[0] AS listSize, listState[1] AS newIds
           ${LATEST_EVENTS_OF_U(`[p.id, p.title, r.type, r.weight, r.at.epochMillis]`)}
           CALL {
             WITH u, freshEvents, listSize, newIds
             WITH u, newIds WHERE freshEvents = 0 AND listSize IS NOT NULL
             CALL {
               WITH u
               UNWIND range(0, size(u.${lists.ids}) - 1) AS i
               MATCH (node:Product {id: u.${lists.ids}[i]}) WHERE ${LISTED_FILTER}
               WITH u, node, i ORDER BY i LIMIT toInteger($limit)
               RETURN ${LISTED_ROW(slot)} AS row, true AS stored
               UNION ALL
               WITH u, newIds
               UNWIND newIds AS newId
               MATCH (node:Product {id: newId}) WHERE node.${property} IS NOT NULL AND ${LISTED_FILTER}
               WITH node, vector.similarity.cosine(u.${property}, node.${property}) AS score
               RETURN ${SEARCHED_ROW(property)} AS row, false AS stored
             }
             WITH row, stored ORDER BY row[1] DESC
             RETURN collect(row)[0..toInteger($limit)] AS listed, count(CASE WHEN stored THEN 1 END) AS storedRows
           }
           WITH u, freshEvents, events, recent, listed,
                freshEvents = 0 AND listSize IS NOT NULL AND storedRows >= $limit AS fromList
           CALL {
             WITH u, freshEvents, events, fromList
             WITH u, events WHERE freshEvents = 0 AND NOT fromList AND u.${property} IS NOT NULL
             WITH u, events,
                  ${SEEN_OF_U} AS seen
             CALL db.index.vector.queryNodes('${index}',
               toInteger($k) + CASE WHEN $excludeInteracted THEN ${OWN_EXTRA} ELSE 0 END,
               u.${property}) YIELD node, score
             WHERE ${FILTER_SEEN}
             WITH u, node, score ORDER BY score DESC LIMIT 2 * toInteger($limit)
             WITH node, ${EXACT_SCORE(property, `u.${property}`)} AS score ORDER BY score DESC, node.id LIMIT toInteger($limit)
             RETURN collect(${SEARCHED_ROW(property)}) AS searched
           }
           RETURN u.${property} IS NOT NULL AS hasVector, freshEvents, events, fromList, recent,
                  CASE WHEN fromList THEN listed ELSE searched END AS candidates`,
  };
};

/**
 * Stores each user's candidates: the index's top $k for the user's vector, without the products
 * the user interacted with. Run at
 * publish for the new slot; serving then reads the list instead of searching (personalQuery).
 */
const materialiseQuery = (slot: Slot) => {
  const { productIndex: index, property, lists } = SLOTS[slot];
  return {
    name: `recommendation.materialiseCandidates.${index}`,
    cypher: `UNWIND $userIds AS userId
           MATCH (u:User {id: userId}) WHERE u.${property} IS NOT NULL
           CALL (u) {
             WITH u, COUNT { (u)-[:INTERACTED]->() } AS events,
                  COLLECT { MATCH (u)-[:INTERACTED]->(p:Product) RETURN DISTINCT p } AS seen
             CALL db.index.vector.queryNodes('${index}',
               toInteger($k) + ${OWN_EXTRA}, u.${property}) YIELD node, score
             WHERE node.id <> '' AND NOT node IN seen
             WITH u, node, score ORDER BY score DESC LIMIT 2 * toInteger($k)
             WITH node, ${EXACT_SCORE(property, `u.${property}`)} AS score ORDER BY score DESC, node.id LIMIT toInteger($k)
             RETURN collect([node.id, score]) AS rows
           }
           SET u.${lists.ids} = [r IN rows | r[0]], u.${lists.scores} = [r IN rows | r[1]]
           RETURN count(u) AS users`,
  };
};

/**
 * Fold-in lists for a page of users who acted since training (the serving cache's, see
 * serving-cache/fold-in-lists.ts): per user, what the index answers for their folded-in vector, minus
 * their products, as materialiseQuery stores for published vectors; scored ids only, since the
 * caller holds the products and the items' vectors.
 */
const foldInListsQuery = (index: string, property: string) => ({
  name: `recommendation.foldInLists.${index}`,
  cypher: `UNWIND $queries AS q
           MATCH (u:User {id: q.userId})
           CALL (u, q) {
             WITH u, q, COUNT { (u)-[:INTERACTED]->() } AS events,
                  COLLECT { MATCH (u)-[:INTERACTED]->(p:Product) RETURN DISTINCT p } AS seen
             CALL db.index.vector.queryNodes('${index}', toInteger($k) + ${OWN_EXTRA}, q.vector) YIELD node, score
             WHERE node.id <> '' AND NOT node IN seen
             WITH q, node, score ORDER BY score DESC LIMIT 2 * toInteger($k)
             WITH node, ${EXACT_SCORE(property, 'q.vector')} AS score ORDER BY score DESC, node.id LIMIT toInteger($k)
             RETURN collect([node.id, score]) AS rows
           }
           RETURN u.id AS id, rows`,
});

const listedUsersQuery = (slot: Slot) => {
  const { lists } = SLOTS[slot];
  return {
    name: `servingCache.listedUsers.${slot}`,
    cypher: `MATCH (u:User) WHERE u.id > $after AND u.${lists.ids} IS NOT NULL
           WITH u ORDER BY u.id LIMIT toInteger($limit)
           ${LATEST_EVENTS_OF_U(RECENT_EVENT)}
           RETURN u.id AS id, u.${lists.ids} AS ids, u.${lists.scores} AS scores,
                  ${FRESH_EVENTS_OF_U} AS freshEvents, recent`,
  };
};

/** listedUsersQuery for given users (the serving cache reading users asked for that its budget left out). */
const listedUsersByIdQuery = (slot: Slot) => {
  const { lists } = SLOTS[slot];
  return {
    name: `servingCache.listedUsersById.${slot}`,
    cypher: `UNWIND $ids AS id
           MATCH (u:User {id: id}) WHERE u.${lists.ids} IS NOT NULL
           ${LATEST_EVENTS_OF_U(RECENT_EVENT)}
           RETURN u.id AS id, u.${lists.ids} AS ids, u.${lists.scores} AS scores,
                  ${FRESH_EVENTS_OF_U} AS freshEvents, recent`,
  };
};

// Built once per slot: requests reuse these instead of rebuilding kilobytes of statement text per call.
const PERSONAL = perSlot(personalQuery);
const FOLD_IN_LISTS = perSlot((slot) => foldInListsQuery(SLOTS[slot].productIndex, SLOTS[slot].property));
const LISTED_USERS = perSlot(listedUsersQuery);
const LISTED_USERS_BY_ID = perSlot(listedUsersByIdQuery);

export class CandidateListRepository {
  constructor(private readonly db: Database) {}

  /** Vector state, latest events and (for a published, current vector) candidates of one user. */
  async personal(
    slot: Slot,
    args: {
      userId: string;
      modelId: string;
      useLists: boolean;
      since: number;
      recentLimit: number;
      k: number;
      maxExtra: number;
      limit: number;
      withVectors: boolean;
    },
    filter: CandidateFilter,
  ): Promise<PersonalRow | undefined> {
    const row = (await this.db.readOne<PersonalRecord>(PERSONAL[slot], { ...filter, ...args }))[0];
    if (!row) return undefined;
    return {
      ...row,
      recent: row.recent.map(([productId, title, type, weight, at]) => ({ productId, title: title ?? '', type, weight, at })),
      candidates: row.candidates.map(toCandidate),
    };
  }

  /** Stores the candidate lists of these users for the slot (materialiseQuery); returns how many got one. */
  async materialiseCandidates(slot: Slot, args: { userIds: readonly string[]; k: number; maxExtra: number }): Promise<number> {
    const rows = await this.db.writeOne<{ users: number }>(materialiseQuery(slot), { ...args, userIds: [...args.userIds] });
    return rows[0]?.users ?? 0;
  }

  /** Per user, ids and scores of the `k` nearest products to their vector that they have not interacted with (foldInListsQuery). */
  async foldInLists(
    slot: Slot,
    search: { queries: { userId: string; vector: number[] }[]; k: number; maxExtra: number },
  ): Promise<{ id: string; rows: ScoredIdRow[] }[]> {
    return this.db.readOne<{ id: string; rows: ScoredIdRow[] }>(FOLD_IN_LISTS[slot], search);
  }

  /** Users with a stored list in the slot and ids after `after`, in id order, with their latest events. */
  async listedUsers(slot: Slot, args: { after: string; limit: number; since: number; recentLimit: number }): Promise<ListedUserRow[]> {
    return this.db.readOne<ListedUserRow>(LISTED_USERS[slot], args);
  }

  /** The same as listedUsers for these users (those with a stored list in the slot), in no order. */
  async listedUsersById(slot: Slot, args: { ids: string[]; since: number; recentLimit: number }): Promise<ListedUserRow[]> {
    return this.db.readOne<ListedUserRow>(LISTED_USERS_BY_ID[slot], args);
  }
}
