/** A group's per-member values reduced to what every interval needs: count, mean and sample variance. */
export interface Summary {
  n: number;
  mean: number;
  /** Sample variance (n - 1 in the denominator); 0 for fewer than two members. */
  variance: number;
}

/** Welford's one-pass mean and variance: stable for the hundreds of thousands of members a report holds. */
export function summarize(values: ArrayLike<number>): Summary {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const delta = values[i] - mean;
    mean += delta / (i + 1);
    m2 += delta * (values[i] - mean);
  }
  const n = values.length;
  return { n, mean: n > 0 ? mean : 0, variance: n > 1 ? m2 / (n - 1) : 0 };
}

/** The variance of the group's mean (squared standard error). */
export function varianceOfMean(s: Summary): number {
  return s.n > 0 ? s.variance / s.n : Number.POSITIVE_INFINITY;
}
