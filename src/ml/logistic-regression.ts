/**
 * Small linear classifiers for profiles, trained by full-batch gradient descent with L2:
 * binary logistic regression (purchase propensity) and multinomial softmax regression (next
 * category). Inputs should be standardized (see `Standardizer`); weights are plain arrays so they
 * serialize to JSON on a graph node.
 */

export interface TrainOptions {
  iterations?: number;
  learningRate?: number;
  l2?: number;
  /** Per-row weights (class weighting); all 1 by default. The loss is the weighted mean. */
  sampleWeights?: readonly number[];
  /**
   * Stops before `iterations` once no parameter moves by more than this in a step (converged):
   * propensity fits reach it after about half their iterations.
   */
  tolerance?: number;
}

const TOLERANCE = 1e-6;

export interface LogisticModel {
  weights: number[];
  bias: number;
}

export interface SoftmaxModel {
  /** One weight row per class. */
  weights: number[][];
  biases: number[];
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function trainLogistic(x: readonly number[][], y: readonly number[], options: TrainOptions = {}): LogisticModel {
  const n = x.length;
  const f = n > 0 ? x[0].length : 0;
  const iterations = options.iterations ?? 400;
  const lr = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  const sw = options.sampleWeights;
  const tolerance = options.tolerance ?? TOLERANCE;
  const w = new Array<number>(f).fill(0);
  let b = 0;
  if (n === 0) return { weights: w, bias: b };
  let total = 0;
  for (let i = 0; i < n; i++) total += sw ? sw[i] : 1;
  if (total <= 0) return { weights: w, bias: b };
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(f).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      let z = b;
      for (let j = 0; j < f; j++) z += w[j] * xi[j];
      const err = (sigmoid(z) - y[i]) * (sw ? sw[i] : 1);
      for (let j = 0; j < f; j++) gw[j] += err * x[i][j];
      gb += err;
    }
    let moved = Math.abs(lr * (gb / total));
    for (let j = 0; j < f; j++) {
      const step = lr * (gw[j] / total + l2 * w[j]);
      w[j] -= step;
      moved = Math.max(moved, Math.abs(step));
    }
    b -= lr * (gb / total);
    if (moved < tolerance) break;
  }
  return { weights: w, bias: b };
}

export function predictLogistic(model: LogisticModel, x: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j] * x[j];
  return sigmoid(z);
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** `labels[i]` is the class index 0..classes-1 of row i. */
export function trainSoftmax(x: readonly number[][], labels: readonly number[], classes: number, options: TrainOptions = {}): SoftmaxModel {
  const n = x.length;
  const f = n > 0 ? x[0].length : 0;
  const iterations = options.iterations ?? 300;
  const lr = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  const w = Array.from({ length: classes }, () => new Array<number>(f).fill(0));
  const b = new Array<number>(classes).fill(0);
  if (n === 0) return { weights: w, biases: b };
  for (let it = 0; it < iterations; it++) {
    const gw = Array.from({ length: classes }, () => new Array<number>(f).fill(0));
    const gb = new Array<number>(classes).fill(0);
    for (let i = 0; i < n; i++) {
      const p = predictSoftmax({ weights: w, biases: b }, x[i]);
      for (let c = 0; c < classes; c++) {
        const err = p[c] - (labels[i] === c ? 1 : 0);
        if (err === 0) continue;
        const row = gw[c];
        for (let j = 0; j < f; j++) row[j] += err * x[i][j];
        gb[c] += err;
      }
    }
    for (let c = 0; c < classes; c++) {
      for (let j = 0; j < f; j++) w[c][j] -= lr * (gw[c][j] / n + l2 * w[c][j]);
      b[c] -= lr * (gb[c] / n);
    }
  }
  return { weights: w, biases: b };
}

export function predictSoftmax(model: SoftmaxModel, x: readonly number[]): number[] {
  return softmax(
    model.weights.map((row, c) => {
      let z = model.biases[c];
      for (let j = 0; j < row.length; j++) z += row[j] * x[j];
      return z;
    }),
  );
}

/**
 * Conditional (multinomial) logit over a fixed set of classes, for ranking categories:
 *   logit_c = bias_c + shared · u[c] + perClass_c · x
 * where u[c] are features of the (row, class) pair with one coefficient shared by every class
 * (e.g. the user's own share of class c, so the baseline's signal carries over to every class),
 * and x are row features with a weight row per class (the learned correction). L2 applies to the
 * per-class weights only: the few shared coefficients and the biases are left free.
 */
export interface ConditionalLogitModel {
  shared: number[];
  /** One weight row per class over the row features. */
  perClass: number[][];
  biases: number[];
}

export interface ConditionalLogitRow {
  /** u[c][k]: shared feature k of class c. */
  u: readonly (readonly number[])[];
  /** Row features (may be empty). */
  x: readonly number[];
}

export function conditionalLogits(model: ConditionalLogitModel, row: ConditionalLogitRow): number[] {
  return model.biases.map((bias, c) => {
    let z = bias;
    const uc = row.u[c];
    for (let k = 0; k < model.shared.length; k++) z += model.shared[k] * uc[k];
    const wc = model.perClass[c];
    for (let j = 0; j < wc.length; j++) z += wc[j] * row.x[j];
    return z;
  });
}

export function predictConditionalLogit(model: ConditionalLogitModel, row: ConditionalLogitRow): number[] {
  return softmax(conditionalLogits(model, row));
}

export function trainConditionalLogit(
  rows: readonly ConditionalLogitRow[],
  labels: readonly number[],
  classes: number,
  options: TrainOptions = {},
): ConditionalLogitModel {
  const n = rows.length;
  const k = n > 0 && rows[0].u.length > 0 ? rows[0].u[0].length : 0;
  const f = n > 0 ? rows[0].x.length : 0;
  const iterations = options.iterations ?? 500;
  const lr = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  const tolerance = options.tolerance ?? TOLERANCE;
  const model: ConditionalLogitModel = {
    shared: new Array<number>(k).fill(0),
    perClass: Array.from({ length: classes }, () => new Array<number>(f).fill(0)),
    biases: new Array<number>(classes).fill(0),
  };
  if (n === 0) return model;
  const gs = new Float64Array(k);
  const gw = Array.from({ length: classes }, () => new Float64Array(f));
  const gb = new Float64Array(classes);
  const p = new Float64Array(classes);
  for (let it = 0; it < iterations; it++) {
    gs.fill(0);
    gb.fill(0);
    for (const g of gw) g.fill(0);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      // Softmax of the logits, in place (no allocation in the inner loop).
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let z = model.biases[c];
        const uc = row.u[c];
        for (let q = 0; q < k; q++) z += model.shared[q] * uc[q];
        const wc = model.perClass[c];
        for (let j = 0; j < f; j++) z += wc[j] * row.x[j];
        p[c] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += p[c] = Math.exp(p[c] - max);
      for (let c = 0; c < classes; c++) {
        const err = p[c] / sum - (labels[i] === c ? 1 : 0);
        gb[c] += err;
        const uc = row.u[c];
        for (let q = 0; q < k; q++) gs[q] += err * uc[q];
        const gc = gw[c];
        for (let j = 0; j < f; j++) gc[j] += err * row.x[j];
      }
    }
    let moved = 0;
    for (let q = 0; q < k; q++) {
      const step = lr * (gs[q] / n);
      model.shared[q] -= step;
      moved = Math.max(moved, Math.abs(step));
    }
    for (let c = 0; c < classes; c++) {
      for (let j = 0; j < f; j++) {
        const step = lr * (gw[c][j] / n + l2 * model.perClass[c][j]);
        model.perClass[c][j] -= step;
        moved = Math.max(moved, Math.abs(step));
      }
      const step = lr * (gb[c] / n);
      model.biases[c] -= step;
      moved = Math.max(moved, Math.abs(step));
    }
    if (moved < tolerance) break;
  }
  return model;
}

/** Per-feature mean and standard deviation, learned on training rows and applied to any row. */
export interface Standardizer {
  mean: number[];
  std: number[];
}

export function fitStandardizer(x: readonly number[][]): Standardizer {
  const f = x.length > 0 ? x[0].length : 0;
  const mean = new Array<number>(f).fill(0);
  const std = new Array<number>(f).fill(0);
  for (const row of x) for (let j = 0; j < f; j++) mean[j] += row[j] / x.length;
  for (const row of x) for (let j = 0; j < f; j++) std[j] += (row[j] - mean[j]) ** 2 / x.length;
  // A constant feature keeps std 1, so it standardizes to 0 instead of dividing by 0.
  return { mean, std: std.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export function standardize(s: Standardizer, row: readonly number[]): number[] {
  return row.map((v, j) => (v - s.mean[j]) / s.std[j]);
}
