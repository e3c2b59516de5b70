/** Offline metrics for the profile models. */

/**
 * ROC AUC via the Mann-Whitney U statistic: the probability that a random positive scores above a
 * random negative, ties counting one half. NaN when one class is missing.
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => ({ s, y: labels[i] })).sort((a, b) => a.s - b.s);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j].s === order[i].s) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (order[t].y === 1) {
      positives += 1;
      rankSum += averageRank;
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Share of rows whose true label is among the first k of the ranking. */
export function topKAccuracy<T>(rankings: readonly (readonly T[])[], truth: readonly T[], k: number): number {
  if (truth.length === 0) return NaN;
  let hits = 0;
  truth.forEach((label, i) => {
    if (rankings[i].slice(0, k).includes(label)) hits += 1;
  });
  return hits / truth.length;
}
