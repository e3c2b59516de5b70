/** Sizes shared by serving (recommendation.service.ts, its sources) and the lists stored at publish (pipeline/build-candidate-lists.ts). */

/** Latest events read per user: fold-in input and the products reasons can name. */
export const RECENT_ITEMS = 20;

/**
 * Cap on the extra index neighbours a request's first search asks for to make up for the user's own
 * (excluded) products; a user who has seen more may need the wider search (wider-index.source.ts).
 */
export const MAX_EXTRA_CANDIDATES = 200;

/**
 * Cap on the extra neighbours the searches sized by the user's whole history ask for: the lists
 * stored at publish, fold-in lists, and a request's wider search. Past it an exact scan answers.
 */
export const MAX_HISTORY_EXTRA = 4000;

/**
 * Candidates stored per user at publish. A first page of 20 needs 21 (one to tell hasNextPage) and
 * 63 with diversity (MMR's pool); deeper pages and narrow filters fall back to an index search.
 */
export const CANDIDATE_LIST_SIZE = 64;

/**
 * Products embedded after publish that serving merges into the stored lists, each scored per
 * request; beyond this many the lists stop serving until the next publish.
 */
export const MAX_NEW_PRODUCTS = 200;
