/**
 * Degraded mode (README "Durable events and degraded mode"): while Neo4j is unavailable, answers the
 * serving cache can give (lists, catalogue, products) and events acknowledged from the journal alone
 * still go out, and the response says so in `extensions.degraded`. Whoever answers without Neo4j
 * calls markDegraded; the request scope (request-scope.ts) carries the flag to the response.
 */
import { currentRequestScope } from './request-scope';

/** This request was (partly) answered without Neo4j: from a copy that may be stale, or from the journal. */
export function markDegraded(): void {
  const scope = currentRequestScope();
  if (scope) scope.degraded = true;
}

/** True when the request being served was marked; false outside a request. */
export function isDegraded(): boolean {
  return currentRequestScope()?.degraded ?? false;
}
