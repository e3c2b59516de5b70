/** Small vector math for serving: cosine on plain arrays (candidates are tens to hundreds). */
export type Vector = ArrayLike<number>;

export function dot(a: Vector, b: Vector): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: Vector): number {
  return Math.sqrt(dot(a, a));
}

export function cosine(a: Vector, b: Vector): number {
  const n = norm(a) * norm(b);
  return n === 0 ? 0 : dot(a, b) / n;
}

/** Weighted mean of rows; rows with weight 0 are ignored. */
export function weightedMean(rows: Vector[], weights: number[]): number[] {
  const dim = rows[0]?.length ?? 0;
  const out = new Array<number>(dim).fill(0);
  let total = 0;
  rows.forEach((row, r) => {
    const w = weights[r];
    total += w;
    for (let i = 0; i < dim; i++) out[i] += w * row[i];
  });
  return total === 0 ? out : out.map((v) => v / total);
}
