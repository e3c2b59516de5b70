/** Central differences of a float64 scalar function with respect to one input array. */
export function numericGrad(f: (x: Float64Array) => number, x0: ArrayLike<number>, eps = 1e-5): Float64Array {
  const x = Float64Array.from(x0);
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + eps; const up = f(x);
    x[i] = v - eps; const down = f(x);
    x[i] = v;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}
