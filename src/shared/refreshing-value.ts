/**
 * A value read from Neo4j and kept for `ttlMs`. Once it is older, callers still get it while a
 * single refresh runs (stale-while-revalidate): an expiry under load costs one query, not one per
 * request in flight, and no request waits for it. Past `maxStaleMs` callers wait for the refresh;
 * when it fails because Neo4j is unavailable they get the kept value, and the answer is marked
 * degraded (README "Durable events and degraded mode").
 */
import { isUnavailable } from '../db/database';
import { markDegraded } from './degraded-answer';

export class RefreshingValue<T> {
  private kept: { value: T; at: number } | undefined;
  private inFlight: Promise<T> | undefined;
  /** Bumped by invalidate, so a refresh begun before it cannot store what it read. */
  private generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly maxStaleMs: number,
  ) {}

  async get(): Promise<T> {
    if (this.kept) {
      const age = Date.now() - this.kept.at;
      if (age < this.ttlMs) return this.kept.value;
      if (age < this.maxStaleMs) {
        // A failed background refresh leaves the kept value; the next caller tries again.
        this.refresh().catch(() => undefined);
        return this.kept.value;
      }
    }
    return this.refresh().catch((error: unknown) => {
      if (!this.kept || !isUnavailable(error)) throw error;
      markDegraded();
      return this.kept.value;
    });
  }

  /** The next get reads afresh and waits for it. */
  invalidate(): void {
    this.generation += 1;
    this.kept = undefined;
    this.inFlight = undefined;
  }

  private refresh(): Promise<T> {
    if (!this.inFlight) {
      const generation = this.generation;
      const loading = this.load()
        .then((value) => {
          if (generation === this.generation) this.kept = { value, at: Date.now() };
          return value;
        })
        .finally(() => {
          if (this.inFlight === loading) this.inFlight = undefined;
        });
      this.inFlight = loading;
    }
    return this.inFlight;
  }
}
