import { guardrailBreach, LATENCY_BUCKETS, latencyBucket, quantileMs } from '../../../../src/services/experiments/guardrails';

function arm(requests: number, errors: number, latencyMs: number, slowShare = 0, slowMs = 0) {
  const latency = new Array<number>(LATENCY_BUCKETS).fill(0);
  const slow = Math.round(requests * slowShare);
  latency[latencyBucket(latencyMs)] += requests - slow;
  latency[latencyBucket(slowMs)] += slow;
  return { requests, errors, latency };
}
const limits = { errorMargin: 0.02, latencyMargin: 0.5, minRequests: 100 };

describe('guardrails', () => {
  it('reads a quantile from the histogram within one bucket (25%)', () => {
    const h = arm(1000, 0, 4, 0.02, 80).latency;
    expect(quantileMs(h, 0.5)).toBeGreaterThanOrEqual(4);
    expect(quantileMs(h, 0.5)).toBeLessThan(5);
    expect(quantileMs(h, 0.99)).toBeGreaterThanOrEqual(80);
    expect(quantileMs(h, 0.99)).toBeLessThan(100);
    expect(quantileMs(new Array(LATENCY_BUCKETS).fill(0), 0.99)).toBe(0);
  });

  it('stops a variant whose error rate exceeds the control’s by more than the margin', () => {
    expect(guardrailBreach(arm(1000, 50, 5), arm(1000, 10, 5), limits)).toMatch(/^error rate 5\.0% against control's 1\.0%/);
    expect(guardrailBreach(arm(1000, 25, 5), arm(1000, 10, 5), limits)).toBeNull();
  });

  it('stops a variant whose p99 exceeds the control’s by more than the margin', () => {
    expect(guardrailBreach(arm(1000, 0, 5, 0.05, 200), arm(1000, 0, 5, 0.05, 20), limits)).toMatch(/^p99 latency/);
    expect(guardrailBreach(arm(1000, 0, 5, 0.05, 24), arm(1000, 0, 5, 0.05, 20), limits)).toBeNull();
  });

  it('does not judge arms that served fewer than minRequests', () => {
    expect(guardrailBreach(arm(99, 99, 5), arm(1000, 0, 5), limits)).toBeNull();
    expect(guardrailBreach(arm(1000, 999, 5), arm(50, 0, 5), limits)).toBeNull();
  });
});
