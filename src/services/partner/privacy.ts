/**
 * Privacy of partner-facing counts. Reports are summed from atomic cells, one per (UTC day, group
 * key); a cell whose metric counts fewer distinct members than the minimum group size contributes
 * nothing. Ranges are whole days, so any report is a sum of atoms and the difference of two
 * overlapping reports is a sum of atoms too: each either at least the minimum or left out — a small
 * cell is never revealed by differencing. Released atoms may carry Laplace noise of scale
 * sensitivity/epsilon, drawn from a keyed hash of the atom (the same atom always gets the same
 * noise, so repeating a query cannot average it away); every noisy query is charged to the
 * partner's epsilon budget.
 */
import { createHmac } from 'node:crypto';

export const DAY_MS = 86_400_000;

/** [first day's start, the day after the last day's start), UTC. */
export function dayRange(from: Date, to: Date): { from: number; to: number } {
  const start = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  const end = Math.floor(to.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  return { from: start, to: Math.max(start + DAY_MS, end) };
}

/**
 * A Laplace(0, scale) draw fixed by `key`: the inverse CDF at a uniform from HMAC-SHA256(secret, key).
 * (The inverse CDF is one line; what matters is the keyed, repeatable uniform, which no sampler offers.)
 */
export function keyedLaplace(secret: string, key: string, scale: number): number {
  if (scale <= 0) return 0;
  const bytes = createHmac('sha256', secret).update(key).digest();
  // 48 bits, offset by half a step so u is never exactly 0 or 1.
  const u = (bytes.readUIntBE(0, 6) + 0.5) / 2 ** 48 - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

export interface Atom {
  day: string;
  key: string;
  /** Distinct members behind the atom's metrics. */
  members: number;
  values: Record<string, number>;
}

export interface ReleasedSums {
  /** null: every atom of the key was below the minimum group size. */
  values: Record<string, number> | null;
}

/**
 * Sums the atoms per key, leaving out atoms below `minMembers`, each released value with keyed noise
 * (`noise(metric)` gives its scale; 0 = none). Counts are rounded and kept ≥ 0.
 */
export function releaseSums(args: {
  atoms: Atom[];
  minMembers: number;
  noiseScale: (metric: string) => number;
  secret: string;
  /** Names the query family in the noise key (partner, metric group, grouping). */
  scope: string;
  integerMetrics: string[];
}): Map<string, ReleasedSums> {
  const out = new Map<string, ReleasedSums>();
  for (const atom of args.atoms) {
    const row = out.get(atom.key) ?? { values: null };
    out.set(atom.key, row);
    if (atom.members < args.minMembers) continue;
    row.values ??= {};
    for (const [metric, value] of Object.entries(atom.values)) {
      const noisy = value + keyedLaplace(args.secret, `${args.scope}|${metric}|${atom.day}|${atom.key}`, args.noiseScale(metric));
      row.values[metric] = (row.values[metric] ?? 0) + noisy;
    }
  }
  for (const row of out.values()) {
    if (!row.values) continue;
    for (const metric of Object.keys(row.values)) {
      const v = row.values[metric];
      row.values[metric] = args.integerMetrics.includes(metric) ? Math.max(0, Math.round(v)) : Math.max(0, Math.round(v * 100) / 100);
    }
  }
  return out;
}

/**
 * Cells shown beside a total: below-minimum cells are hidden, and if exactly one would be hidden
 * (the total minus the shown ones would reveal it) the smallest shown one is hidden with it.
 */
export function suppressCells<T extends { members: number }>(cells: T[], minMembers: number): (T & { suppressed: boolean })[] {
  const marked = cells.map((c) => ({ ...c, suppressed: c.members < minMembers }));
  const hidden = marked.filter((c) => c.suppressed).length;
  if (hidden === 1) {
    const shown = marked.filter((c) => !c.suppressed).sort((a, b) => a.members - b.members);
    if (shown.length > 0) shown[0].suppressed = true;
  }
  return marked;
}
