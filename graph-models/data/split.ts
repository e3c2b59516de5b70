import { GraphSnapshot } from './snapshot';
import { RowSets, buildCsr } from './csr';

export interface TemporalSplitOptions {
  /** Share of each user's events, just before the test ones, held out for validation. */
  validationFraction: number;
  /** Share of each user's latest events held out for test. */
  testFraction: number;
  /** Users with fewer events keep all of them in train. Default 3. */
  minEventsToHoldOut?: number;
}

/**
 * A per-user temporal (leave-last-out by share) split of the snapshot's events.
 *
 * Counting rule, for a user with n events sorted by (time, event index):
 *   - n < minEventsToHoldOut (default 3): all n go to train;
 *   - otherwise nTest = max(1, round(n * testFraction)) and nVal = max(1, round(n * validationFraction))
 *     (round = Math.round, halves up; the max(1, ·) applies only when the fraction is > 0), reduced
 *     if needed so that train keeps at least one event (test shrinks last);
 *   - the last nTest events are test, the nVal before them validation, the rest train.
 * So every held-out event of a user is no earlier than any of that user's train events.
 *
 * Relevant (held-out) item sets remove what the model is told the user already has: validation
 * items exclude train items; test items exclude train and validation items. Evaluation ranks all
 * items except those known ones, so a relevant item that was also known could never be ranked.
 */
export interface TemporalSplit {
  numUsers: number;
  numItems: number;
  /** Event indices into the snapshot's parallel arrays, ascending. */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  /** Distinct items per user in train. */
  trainItems: RowSets;
  /** Distinct items per user in train or validation: what is excluded when ranking for test. */
  knownBeforeTest: RowSets;
  /** Relevant items per user for validation (validation items not in train). */
  validationItems: RowSets;
  /** Relevant items per user for test (test items not in train or validation). */
  testItems: RowSets;
}

/** How many of a user's n events are held out; exported so tests state the rule once. */
export function heldOutCounts(
  n: number,
  opts: TemporalSplitOptions,
): { train: number; validation: number; test: number } {
  const minEvents = opts.minEventsToHoldOut ?? 3;
  if (n < minEvents) return { train: n, validation: 0, test: 0 };
  const share = (f: number): number => (f > 0 ? Math.max(1, Math.round(n * f)) : 0);
  let test = share(opts.testFraction);
  let validation = share(opts.validationFraction);
  // Keep at least one train event: shrink validation first, then test.
  while (n - test - validation < 1 && validation > 0) validation--;
  while (n - test - validation < 1 && test > 0) test--;
  return { train: n - test - validation, validation, test };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function temporalSplit(snapshot: GraphSnapshot, opts: TemporalSplitOptions): TemporalSplit {
  const numUsers = snapshot.userIds.length;
  const numItems = snapshot.itemIds.length;
  const n = snapshot.eventUser.length;
  const allEvents = new Int32Array(n);
  for (let e = 0; e < n; e++) allEvents[e] = e;
  // Group events per user, then order each user's events by (time, item id). Ties are common (MovieLens
  // users rate several movies in the same second); breaking them by event index made the split depend
  // on the order the snapshot was read in, so the file reader and a Neo4j snapshot of the same data
  // split differently. The event index only separates repeats of one item at one time.
  const byUser = buildCsr({ numRows: numUsers, rows: snapshot.eventUser, cols: allEvents });
  const role = new Uint8Array(n); // 0 train, 1 validation, 2 test
  for (let u = 0; u < numUsers; u++) {
    const events = Array.from(byUser.indices.subarray(byUser.indptr[u], byUser.indptr[u + 1]));
    events.sort((a, b) => snapshot.eventTime[a] - snapshot.eventTime[b] || compareIds(snapshot.itemIds[snapshot.eventItem[a]], snapshot.itemIds[snapshot.eventItem[b]]) || a - b);
    const counts = heldOutCounts(events.length, opts);
    for (let k = counts.train; k < events.length; k++) {
      role[events[k]] = k < counts.train + counts.validation ? 1 : 2;
    }
  }
  const pick = (r: number): Int32Array => {
    const out: number[] = [];
    for (let e = 0; e < n; e++) if (role[e] === r) out.push(e);
    return Int32Array.from(out);
  };
  const train = pick(0);
  const validation = pick(1);
  const test = pick(2);
  const setsOf = (events: Int32Array): RowSets =>
    buildCsr({ numRows: numUsers, rows: snapshot.eventUser, cols: snapshot.eventItem, subset: events });
  const trainItems = setsOf(train);
  const knownBeforeTest = setsOf(concat(train, validation));
  return {
    numUsers,
    numItems,
    train,
    validation,
    test,
    trainItems,
    knownBeforeTest,
    validationItems: difference(setsOf(validation), trainItems),
    testItems: difference(setsOf(test), knownBeforeTest),
  };
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Row-wise a \ b for sorted row sets. */
export function difference(a: RowSets, b: RowSets): RowSets {
  const rows = a.indptr.length - 1;
  const indptr = new Int32Array(rows + 1);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let j = b.indptr[r];
    const jEnd = b.indptr[r + 1];
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) {
      const v = a.indices[k];
      while (j < jEnd && b.indices[j] < v) j++;
      if (j < jEnd && b.indices[j] === v) continue;
      out.push(v);
    }
    indptr[r + 1] = out.length;
  }
  return { indptr, indices: Int32Array.from(out) };
}
