/**
 * What a request carries to code far below its resolvers without threading it through every layer:
 * the bookmarks it reads from and writes (db/request-bookmarks.ts) and whether it was answered
 * without Neo4j (degraded-answer.ts). One AsyncLocalStorage holds both because each store adds a
 * step to every promise a request creates: on bench/recommend two stores cost 0.13 ms of server CPU
 * per request, one 0.04 ms (docs/experiments.md).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestBookmarks } from '../db/request-bookmarks';

export interface RequestScope {
  bookmarks: RequestBookmarks;
  /** Set by markDegraded: (part of) the answer came from a copy that may be stale, or from the journal. */
  degraded: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function withRequestScope<T>(scope: RequestScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}

/** The request being served, or undefined outside one (CLI, background work). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
