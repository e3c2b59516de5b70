/** How kernel work is cut into per-thread ranges; only balances time, never changes a result. */

/**
 * Row ranges [b[t], b[t+1]) for `parts` threads with about equal work, where a row costs
 * its edge count plus one (the per-row overhead matters for the many degree-1 nodes of a
 * power-law graph). Only balances time; it never changes what a row computes.
 */
export function balancedRowRanges(ptr: Int32Array, parts: number): Int32Array {
  const rows = ptr.length - 1;
  const bounds = new Int32Array(parts + 1);
  const total = ptr[rows] - ptr[0] + rows;
  let row = 0;
  for (let t = 1; t < parts; t++) {
    const target = (total * t) / parts;
    while (row < rows && ptr[row] - ptr[0] + row < target) row++;
    bounds[t] = row;
  }
  bounds[parts] = rows;
  return bounds;
}

/** Even ranges over `n` independent items (nodes, heads, parameters). */
export function evenRanges(n: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  for (let t = 0; t <= parts; t++) bounds[t] = Math.floor((n * t) / parts);
  return bounds;
}
