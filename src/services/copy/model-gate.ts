/**
 * Admission to the one language model: a single holder at a time (the embedded model has one context
 * sequence; a queue keeps an endpoint from being flooded too), at most `maxWaiting` waiting behind
 * it. Past that a request is refused at once with SERVICE_UNAVAILABLE instead of queueing without
 * bound. Own code: p-limit/p-queue are ES modules without a bound on waiting jobs.
 */
import { ServiceUnavailableError } from '../../errors';

export class ModelGate {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxWaiting: number) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` when the model is free; throws SERVICE_UNAVAILABLE when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new ServiceUnavailableError(`The copy model is busy (${this.waiting.length} requests waiting); retry shortly.`);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.busy = true;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}
