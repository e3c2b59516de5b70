/**
 * Groups item indices into batches of similar token length. Padding to the longest row of a batch
 * is wasted compute (attention is quadratic in it), so sorting by length first keeps it small.
 * Returned batches keep original indices so results can be put back in input order.
 */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}
