/**
 * CUPED (Deng et al. 2013): subtract from each member's metric the part its pre-period covariate
 * predicts, Y' = Y - θ(X - mean X) with θ = Cov(X, Y) / Var(X) over all members of all groups. The
 * means' difference keeps its expectation (X is fixed before assignment) and its variance shrinks by
 * the squared correlation of X and Y.
 */
export interface CupedAdjustment {
  theta: number;
  /** Per group, the adjusted values (in the order given). */
  adjusted: Float64Array[];
  /** 1 - Var(Y') / Var(Y) over all members: the share of variance removed. */
  varianceReduction: number;
}

export function cuped(groups: { metric: ArrayLike<number>; covariate: ArrayLike<number> }[]): CupedAdjustment {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (const g of groups) {
    for (let i = 0; i < g.metric.length; i++) {
      sumX += g.covariate[i];
      sumY += g.metric[i];
    }
    n += g.metric.length;
  }
  const meanX = n > 0 ? sumX / n : 0;
  const meanY = n > 0 ? sumY / n : 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const g of groups) {
    for (let i = 0; i < g.metric.length; i++) {
      const dx = g.covariate[i] - meanX;
      const dy = g.metric[i] - meanY;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
  }
  // A constant covariate (nobody active before, or everybody equally) predicts nothing.
  const theta = sxx > 0 ? sxy / sxx : 0;
  const adjusted = groups.map((g) => {
    const out = new Float64Array(g.metric.length);
    for (let i = 0; i < out.length; i++) out[i] = g.metric[i] - theta * (g.covariate[i] - meanX);
    return out;
  });
  const residual = syy - (sxx > 0 ? (sxy * sxy) / sxx : 0);
  return { theta, adjusted, varianceReduction: syy > 0 ? 1 - residual / syy : 0 };
}
