/**
 * Ingestion of interaction events: validates each event, rejects unknown products, creates unknown
 * users, and stores every eventId at most once, however often and however concurrently it is sent.
 */
import { interactionWeight } from '../domain/interaction-weight';
import { INTERACTION_TYPES, InteractionType, MAX_ID_LENGTH } from '../domain/records';
import { BadInputError } from '../errors';
import type { InteractionRepository, RecordRefusal, StoredEvent } from '../repositories/interaction.repository';
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

export class InteractionService {
  constructor(
    private readonly interactions: InteractionRepository,
    private readonly maxBatch: number,
    private readonly tokens: RecommendationTokens,
    /** Where stored events are announced (the serving cache subscribes). */
    private readonly signals: ChangeSignals | null = null,
  ) {}

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
      const refused = await this.storeNew(candidates.map((c) => c.event));
      const stored = new Set<string>();
      for (const c of candidates) {
        const refusal = refused.get(c.event.eventId);
        if (!refusal) stored.add(c.event.userId);
        outcomes.set(c.index, outcomeOf(c.event, refusal));
      }
      if (stored.size > 0) this.signals?.emit('eventsStored', [...stored]);
    }

    const results = events.map((_, i) => outcomes.get(i) as EventOutcome);
    return {
      accepted: results.filter((r) => r.status === 'ACCEPTED').length,
      duplicates: results.filter((r) => r.status === 'DUPLICATE').length,
      rejected: results.filter((r) => r.status === 'REJECTED').length,
      results,
    };
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
  private async storeNew(events: StoredEvent[]): Promise<Map<string, RecordRefusal>> {
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
