/**
 * Ingestion of interaction events: validates each event, rejects unknown products, creates unknown
 * users, and stores every eventId at most once, however often and however concurrently it is sent.
 *
 * With the event journal running (a server; README "Durable events and degraded mode"), each batch
 * is appended to the journal (group-commit fdatasync) while the same one-statement write runs in
 * Neo4j, and answered once either committed (exact statuses, bookmarks, read-your-writes as
 * without the journal; the fdatasync is not waited for) or, when Neo4j is unavailable, once on disk: then every new-looking event is
 * ACCEPTED with a "queued" reason, and the journal's flusher writes it when Neo4j is back, in order,
 * idempotently by eventId. The flusher skips what the request's own write committed.
 */
import { isUnavailable } from '../db/database';
import { interactionWeight } from '../domain/interaction-weight';
import { INTERACTION_TYPES, InteractionType, MAX_ID_LENGTH } from '../domain/records';
import { BadInputError, ServiceUnavailableError } from '../errors';
import { Journal, JournalFullError, JournalUnavailableError } from '../journal/journal';
import { ingestedEvents, journalDroppedEvents } from '../observability/metrics';
import { markDegraded } from '../shared/degraded-answer';
import type { InteractionRepository, RecordRefusal, RecordResult, StoredEvent } from '../repositories/interaction.repository';
import type { RecommendationTokens } from './recommendation/recommendation-token';
import type { ChangeSignals } from './change-signals';

export type EventStatus = 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';

export interface IncomingEvent {
  eventId: string;
  userId: string;
  productId: string;
  type: InteractionType;
  /** Epoch ms; defaults to the time of receipt. */
  at?: number | null;
  rating?: number | null;
  reviewText?: string | null;
  sessionId?: string | null;
  /** The recommendationId of the response that led to this event, for attribution. */
  recommendationId?: string | null;
}

export interface EventOutcome {
  eventId: string;
  status: EventStatus;
  reason: string | null;
}

export interface RecordOutcome {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: EventOutcome[];
}

const MAX_REVIEW_LENGTH = 10000;
/** Clocks drift; an event more than a day in the future is a client bug, not a clock skew. */
const MAX_FUTURE_MS = 24 * 3600 * 1000;
/** Concurrent senders of the same new events collide on the constraint; each retry finds what the other stored. */
const MAX_CONFLICT_RETRIES = 8;
/** What an event acknowledged from the journal alone reports (status ACCEPTED). */
export const QUEUED_REASON = 'queued: the graph database is unavailable; the event is journaled and will be stored once it is back';

/** Builds the event journal around the service's flush (app.ts gives the directory and bounds). */
export type EventJournalFactory = (flush: (events: StoredEvent[]) => Promise<void>) => Journal<StoredEvent>;

export class InteractionService {
  private readonly journal: Journal<StoredEvent> | null;
  private journalRunning = false;
  /**
   * Per journaled eventId whose request writes it itself: settles true once Neo4j decided it (the
   * flusher then skips it), false when that write failed for unavailability (the flusher writes it).
   */
  private readonly inline = new Map<string, Promise<boolean>>();
  /** Events the flusher dropped because their product was unknown, since start (/metrics, admin /readyz). */
  private dropped = 0;
  private onDropped: (count: number) => void = () => undefined;

  constructor(
    private readonly interactions: InteractionRepository,
    private readonly maxBatch: number,
    private readonly tokens: RecommendationTokens,
    /** Where stored events are announced (the serving cache subscribes). */
    private readonly signals: ChangeSignals | null = null,
    journal: EventJournalFactory | null = null,
  ) {
    this.journal = journal?.((events) => this.flushJournaled(events)) ?? null;
  }

  /**
   * Starts the journal (a server): writes what a dead process left, returns how many events.
   * `onDropped` hears, once per flushed batch, how many events it dropped for an unknown product;
   * `onFlushError` each failed write to Neo4j (the events stay journaled for the next).
   */
  async start(onDropped: (count: number) => void = () => undefined, onFlushError?: (error: unknown) => void): Promise<number> {
    if (!this.journal) return 0;
    this.onDropped = onDropped;
    const replayed = await this.journal.start(onFlushError);
    this.journalRunning = true;
    return replayed.length;
  }

  /** Writes every journaled event to Neo4j now (tests and fault runs count after it). */
  async drain(): Promise<void> {
    if (this.journalRunning) await this.journal?.flushNow();
  }

  /** Events acknowledged from the journal and not yet written to Neo4j (or skipped as written). */
  get backlog(): number {
    return this.journal?.backlog ?? 0;
  }

  /** Journaled events the flusher dropped (their product did not exist), since start. */
  get droppedAtFlush(): number {
    return this.dropped;
  }

  async stop(): Promise<void> {
    if (!this.journalRunning) return;
    this.journalRunning = false;
    await this.journal?.stop();
  }

  async record(events: IncomingEvent[], now = Date.now()): Promise<RecordOutcome> {
    if (events.length > this.maxBatch) {
      throw new BadInputError(`A batch holds at most ${this.maxBatch} events; got ${events.length}. Split it into smaller batches.`, {
        maxBatch: this.maxBatch,
      });
    }
    const outcomes = new Map<number, EventOutcome>();
    const candidates: { index: number; event: StoredEvent }[] = [];
    const seenInBatch = new Set<string>();
    events.forEach((event, index) => {
      const problem = validate(event, now) ?? this.checkAttribution(event);
      if (problem) {
        outcomes.set(index, { eventId: event.eventId, status: 'REJECTED', reason: problem });
      } else if (seenInBatch.has(event.eventId)) {
        outcomes.set(index, { eventId: event.eventId, status: 'DUPLICATE', reason: 'eventId appears earlier in the same batch' });
      } else {
        seenInBatch.add(event.eventId);
        candidates.push({ index, event: toStored(event, now) });
      }
    });

    if (candidates.length > 0) {
      const batch = candidates.map((c) => c.event);
      const result = this.journalRunning && this.journal ? await this.storeJournaled(this.journal, batch) : await this.storeNew(batch);
      const created: StoredEvent[] = [];
      for (const c of candidates) {
        if (result === 'QUEUED') {
          outcomes.set(c.index, { eventId: c.event.eventId, status: 'ACCEPTED', reason: QUEUED_REASON });
          continue;
        }
        const refusal = result.refused.get(c.event.eventId);
        if (!refusal) created.push(c.event);
        outcomes.set(c.index, outcomeOf(c.event, refusal));
      }
      if (result !== 'QUEUED' && created.length > 0) {
        this.signals?.emit('eventsStored', [...new Set(created.map((e) => e.userId))], { events: created, recordedAt: result.recordedAt });
      }
    }

    const results = events.map((_, i) => outcomes.get(i) as EventOutcome);
    const accepted = results.filter((r) => r.status === 'ACCEPTED').length;
    const duplicates = results.filter((r) => r.status === 'DUPLICATE').length;
    const rejected = results.length - accepted - duplicates;
    ingestedEvents.inc({ status: 'accepted' }, accepted);
    ingestedEvents.inc({ status: 'duplicate' }, duplicates);
    ingestedEvents.inc({ status: 'rejected' }, rejected);
    return { accepted, duplicates, rejected, results };
  }

  /**
   * Appends the batch to the journal while writing it to Neo4j; answers with Neo4j's refusals once
   * committed, or QUEUED once on disk when Neo4j is unavailable. A full journal only matters then.
   */
  private async storeJournaled(journal: Journal<StoredEvent>, events: StoredEvent[]): Promise<RecordResult | 'QUEUED'> {
    let decided!: (written: boolean) => void;
    const settled = new Promise<boolean>((resolve) => (decided = resolve));
    // Registered before the append, so the flusher never sees one of these records without it.
    for (const e of events) this.inline.set(e.eventId, settled);
    // All of the batch or none of it: a half-journaled batch would store events its client was refused.
    const appended =
      journal.room < events.length
        ? Promise.resolve(new JournalFullError('journal full'))
        : Promise.all(events.map((e) => journal.append(e))).then(
            () => null,
            (error: unknown) => error,
          );
    try {
      const result = await this.storeNew(events);
      decided(true);
      // Committed, so durable: the answer does not wait for the fdatasync (measured p99 ~90 ms on a
      // busy shared disk, README "Durable events and degraded mode").
      void appended.then((failed) => failed && this.forgetInline(events, settled));
      return result;
    } catch (error) {
      if (!isUnavailable(error)) {
        // Not acknowledged; the journaled copy is written by the flusher anyway (idempotent).
        decided(false);
        throw error;
      }
      decided(false);
      const failed = await appended;
      if (failed) this.forgetInline(events, settled);
      if (failed instanceof JournalFullError) throw new ServiceUnavailableError('The graph database is unavailable and the event journal is full; retry later.');
      if (failed instanceof JournalUnavailableError) throw new ServiceUnavailableError(`The graph database is unavailable and ${failed.message}; retry later.`);
      if (failed) throw failed;
      markDegraded();
      return 'QUEUED';
    }
  }

  /**
   * The journal's flush: writes the records no request wrote itself, in journal order and
   * idempotently (a record replayed after a crash finds its event and is a no-op).
   */
  private async flushJournaled(records: StoredEvent[]): Promise<void> {
    const pending: StoredEvent[] = [];
    for (const record of records) {
      const inline = this.inline.get(record.eventId);
      if (!inline || !(await inline)) pending.push(record);
    }
    if (pending.length > 0) {
      // Within a journal batch one eventId can appear twice (sent twice while Neo4j was down).
      const unique = [...new Map(pending.map((e) => [e.eventId, e])).values()];
      const { refused } = await this.storeNew(unique);
      const stored = new Set<string>();
      let dropped = 0;
      for (const e of unique) {
        const refusal = refused.get(e.eventId);
        if (!refusal) stored.add(e.userId);
        else if (refusal === 'UNKNOWN_PRODUCT') dropped += 1;
      }
      if (stored.size > 0) this.signals?.emit('eventsStored', [...stored]);
      if (dropped > 0) {
        this.dropped += dropped;
        journalDroppedEvents.inc({ reason: 'unknown_product' }, dropped);
        this.onDropped(dropped);
      }
    }
    for (const record of records) this.inline.delete(record.eventId);
  }

  /** The batch is not in the journal (its append failed): the flusher will never see these ids. */
  private forgetInline(events: StoredEvent[], settled: Promise<boolean>): void {
    for (const e of events) if (this.inline.get(e.eventId) === settled) this.inline.delete(e.eventId);
  }

  /** A cited recommendation must be one this deployment issued, to this same user. */
  private checkAttribution(event: IncomingEvent): string | null {
    if (!event.recommendationId) return null;
    const ticket = this.tokens.verify(event.recommendationId);
    if (!ticket) return 'recommendationId was not issued by this server';
    if (ticket.userId !== event.userId) return 'recommendationId was issued to another user';
    return null;
  }

  /**
   * Stores the new events of known products in one statement, and returns the others with why. A
   * concurrent writer (another request, another replica) can store one of them first; the
   * constraint then fails our transaction as a whole, and the same statement runs again, now
   * finding that event, so each event ends up either created by us or reported as a duplicate.
   */
  private async storeNew(events: StoredEvent[]): Promise<RecordResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.interactions.record(events);
      } catch (error) {
        if (attempt >= MAX_CONFLICT_RETRIES || !isConstraintViolation(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
      }
    }
  }
}

function outcomeOf(event: StoredEvent, refusal: RecordRefusal | undefined): EventOutcome {
  if (refusal === 'UNKNOWN_PRODUCT') {
    return { eventId: event.eventId, status: 'REJECTED', reason: `unknown product "${event.productId}": upsert the product before recording events for it` };
  }
  if (refusal === 'DUPLICATE') return { eventId: event.eventId, status: 'DUPLICATE', reason: 'eventId was already recorded' };
  return { eventId: event.eventId, status: 'ACCEPTED', reason: null };
}

function isConstraintViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).includes('ConstraintValidationFailed');
}

function validate(event: IncomingEvent, now: number): string | null {
  if (!event.eventId || event.eventId.length > MAX_ID_LENGTH) return `eventId must be 1..${MAX_ID_LENGTH} characters`;
  if (!event.userId || event.userId.length > MAX_ID_LENGTH) return `userId must be 1..${MAX_ID_LENGTH} characters`;
  if (!event.productId || event.productId.length > MAX_ID_LENGTH) return `productId must be 1..${MAX_ID_LENGTH} characters`;
  if (!(INTERACTION_TYPES as readonly string[]).includes(event.type)) return `unknown type "${event.type}"`;
  if (event.at !== undefined && event.at !== null) {
    if (!Number.isFinite(event.at)) return 'at is not a valid time';
    if (event.at > now + MAX_FUTURE_MS) return 'at is more than a day in the future';
  }
  if (event.rating !== undefined && event.rating !== null) {
    if (event.type !== 'RATE' && event.type !== 'REVIEW') return 'rating is only allowed on RATE and REVIEW events';
    if (!(event.rating >= 0.5 && event.rating <= 5)) return 'rating must be between 0.5 and 5';
  } else if (event.type === 'RATE') {
    return 'a RATE event needs a rating between 0.5 and 5';
  }
  if (event.reviewText && event.reviewText.length > MAX_REVIEW_LENGTH) return `reviewText is longer than ${MAX_REVIEW_LENGTH} characters`;
  return null;
}

function toStored(event: IncomingEvent, now: number): StoredEvent {
  return {
    eventId: event.eventId,
    userId: event.userId,
    productId: event.productId,
    type: event.type,
    at: event.at ?? now,
    weight: interactionWeight(event.type, event.rating),
    rating: event.rating ?? null,
    reviewText: event.reviewText ?? null,
    sessionId: event.sessionId ?? null,
    recommendationId: event.recommendationId ?? null,
  };
}
