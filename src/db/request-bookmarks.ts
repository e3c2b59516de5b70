/**
 * Read-your-writes across replicas. With a `neo4j://` URI reads go to secondaries, which may lag the
 * leader; a Neo4j bookmark names a commit, and a transaction begun with it waits until the member
 * it runs on has applied that commit. A request's writes return their bookmarks to the client as one
 * opaque token (`extensions.bookmark`); the client sends it back in the `x-affinity-bookmark` header
 * and every transaction of that next request, on whichever API replica and Neo4j member it lands,
 * sees those writes. The token travels with the client rather than living in one replica's memory,
 * which is what makes it work behind a load balancer. The request scope (shared/request-scope.ts)
 * carries the request's bookmarks to the Database without threading them through every layer.
 */
import { BadInputError } from '../errors';
import { currentRequestScope } from '../shared/request-scope';

export const BOOKMARK_HEADER = 'x-affinity-bookmark';

/** Bookmarks a request starts from (the client's token) and those its own writes produced. */
export class RequestBookmarks {
  private written: string[] = [];

  constructor(private readonly received: readonly string[] = []) {}

  /** What a transaction of this request must see: the client's earlier writes and this request's. */
  get current(): string[] {
    return [...this.received, ...this.written];
  }

  /** A committed write's bookmarks; each supersedes the ones this request's transaction began with. */
  noteWrite(bookmarks: readonly string[]): void {
    this.written = [...bookmarks];
  }

  /** The token to hand back to the client, or null when this request wrote nothing. */
  token(): string | null {
    return this.written.length > 0 ? encodeBookmarks(this.written) : null;
  }
}

/** The bookmarks of the request being served, or undefined outside one (CLI, background work). */
export function currentRequestBookmarks(): RequestBookmarks | undefined {
  return currentRequestScope()?.bookmarks;
}

export function encodeBookmarks(bookmarks: readonly string[]): string {
  return Buffer.from(JSON.stringify(bookmarks)).toString('base64url');
}

/** The header's token as bookmarks; a token we did not issue is refused rather than ignored. */
export function decodeBookmarks(token: string | undefined): string[] {
  if (token === undefined || token === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length > 16 || !parsed.every((b) => typeof b === 'string' && b.length > 0 && b.length <= 512)) {
    throw new BadInputError(`The ${BOOKMARK_HEADER} header is not a bookmark this API issued; send back the extensions.bookmark of a response unchanged.`);
  }
  return parsed as string[];
}
