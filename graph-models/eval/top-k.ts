/**
 * Top-K selection with a size-K min-heap: O(n log K) instead of sorting every item score.
 * Order is score descending, then item index ascending, so ties are broken deterministically.
 * Scores of -Infinity (masked items) and NaN (a broken model must not win) are never selected.
 */
export interface TopKInput {
  scores: Float32Array;
  /** Position of item 0 in `scores` (for row offsets into a batch buffer). */
  offset: number;
  numItems: number;
  k: number;
}

/** Returns the selected item indices, best first; fewer than k when fewer items are selectable. */
export function topK({ scores, offset, numItems, k }: TopKInput): Int32Array {
  const heap = new Int32Array(Math.max(0, k));
  let size = 0;
  // a ranks below b
  const worse = (a: number, b: number): boolean => {
    const sa = scores[offset + a];
    const sb = scores[offset + b];
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
  };
  if (k <= 0) return heap;
  for (let item = 0; item < numItems; item++) {
    const s = scores[offset + item];
    if (!(s > -Infinity)) continue; // skips -Infinity and NaN
    if (size < k) {
      let i = size++;
      heap[i] = item;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i], heap[p])) break;
        const t = heap[i];
        heap[i] = heap[p];
        heap[p] = t;
        i = p;
      }
    } else if (worse(heap[0], item)) {
      heap[0] = item;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  return Int32Array.from(out);
}
