/**
 * Recommendations served to partners, counted in memory per (partner, UTC day, product) and added
 * to Neo4j every few seconds by the server (one write per flush, not one per request). A count is
 * a report figure, not money: a crash loses at most one interval of it.
 */
export interface ServedCount {
  partnerId: string;
  /** Epoch ms of the UTC day's start. */
  day: number;
  productId: string;
  count: number;
}

export interface ServedCountWriter {
  addServed(counts: ServedCount[]): Promise<void>;
}

const DAY_MS = 86_400_000;

export class ServedCounter {
  private counts = new Map<string, ServedCount>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly writer: ServedCountWriter) {}

  add(partnerId: string, productIds: string[], at = Date.now()): void {
    const day = Math.floor(at / DAY_MS) * DAY_MS;
    for (const productId of productIds) {
      const key = `${partnerId}\u0000${day}\u0000${productId}`;
      const kept = this.counts.get(key);
      if (kept) kept.count += 1;
      else this.counts.set(key, { partnerId, day, productId, count: 1 });
    }
  }

  /** Writes what was counted since the last flush; on failure the counts are kept for the next one. */
  async flush(): Promise<void> {
    if (this.counts.size === 0) return;
    const taken = this.counts;
    this.counts = new Map();
    try {
      await this.writer.addServed([...taken.values()]);
    } catch (error) {
      for (const [key, c] of taken) {
        const kept = this.counts.get(key);
        if (kept) kept.count += c.count;
        else this.counts.set(key, c);
      }
      throw error;
    }
  }

  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer ??= setInterval(() => this.flush().catch(onError), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
