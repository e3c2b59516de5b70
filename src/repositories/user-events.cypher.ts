/**
 * Cypher fragments over one user's events, `u` bound. Serving (personal query), publish (stored
 * lists) and the serving cache's load all use them, so they agree on what "fresh" and "latest" mean.
 */

/** The user's events at or after `$since` (the serving version's training time): these make a user fresh. */
export const FRESH_EVENTS_OF_U = 'COUNT { (u)-[r:INTERACTED]->() WHERE r.at >= datetime({epochMillis: toInteger($since)}) }';

/** Binds `recent`: `item` (over `r` and `p`) for each of the user's `$recentLimit` latest events, newest first. */
export const LATEST_EVENTS_OF_U = (item: string): string => `CALL (u) {
             MATCH (u)-[r:INTERACTED]->(p:Product)
             WITH r, p ORDER BY r.at DESC LIMIT toInteger($recentLimit)
             RETURN collect(${item}) AS recent
           }`;
