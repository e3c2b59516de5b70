/**
 * Guardrails: a variant whose error rate or p99 latency is worse than the control's by more than the
 * configured margin is stopped (its users fall back to control). Latency is kept as a histogram
 * with log-spaced buckets, so counts from every replica add up and p99 is read from the sum.
 */

/** Upper bounds in ms: 0.25 ms × 1.25^i, i = 0..63 (up to about 5 minutes). */
export const LATENCY_BUCKETS = 64;
const FIRST_BOUND_MS = 0.25;
const GROWTH = 1.25;

export function latencyBucket(ms: number): number {
  if (ms <= FIRST_BOUND_MS) return 0;
  return Math.min(LATENCY_BUCKETS - 1, Math.ceil(Math.log(ms / FIRST_BOUND_MS) / Math.log(GROWTH)));
}

/** The upper bound of the bucket holding the q-quantile (0 for no requests). */
export function quantileMs(histogram: readonly number[], q: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= q * total) return FIRST_BOUND_MS * GROWTH ** i;
  }
  return FIRST_BOUND_MS * GROWTH ** (histogram.length - 1);
}

export interface ArmHealth {
  requests: number;
  errors: number;
  latency: readonly number[];
}

export interface GuardrailLimits {
  /** Stop when the variant's error rate exceeds the control's by more than this (0.02 = 2 points). */
  errorMargin: number;
  /** Stop when the variant's p99 exceeds the control's by more than this share (0.5 = 50%). */
  latencyMargin: number;
  /** Neither arm is judged before it served this many requests. */
  minRequests: number;
}

/** Why the variant must stop, or null while it is within the margins (or too young to judge). */
export function guardrailBreach(variant: ArmHealth, control: ArmHealth, limits: GuardrailLimits): string | null {
  if (variant.requests < limits.minRequests || control.requests < limits.minRequests) return null;
  const variantErrors = variant.errors / variant.requests;
  const controlErrors = control.errors / control.requests;
  if (variantErrors - controlErrors > limits.errorMargin) {
    return `error rate ${pct(variantErrors)} against control's ${pct(controlErrors)} (margin ${pct(limits.errorMargin)})`;
  }
  const variantP99 = quantileMs(variant.latency, 0.99);
  const controlP99 = quantileMs(control.latency, 0.99);
  if (variantP99 > controlP99 * (1 + limits.latencyMargin)) {
    return `p99 latency ${variantP99.toFixed(1)} ms against control's ${controlP99.toFixed(1)} ms (margin ${pct(limits.latencyMargin)})`;
  }
  return null;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
