/**
 * GET /r/<token>: opens the tracking link, records the click durably (journal, then Neo4j in
 * batches) and answers with the program's landing URL. A forged, altered or expired token, or one of
 * an unknown partner, gets nothing recorded (the caller answers 404). Repeats of one token within the
 * de-dup window redirect without a second click: this process's map answers them without a journal
 * write (the fast path), and the click id derived from token and window (click-id.ts) makes the flush
 * merge a repeat that another replica or a restarted process journaled into the stored click.
 */
import { NotFoundError } from '../../errors';
import type { Journal } from '../../journal/journal';
import type { ClickRecord } from '../../repositories/partner-click.repository';
import { clickIds } from '../../domain/click-id';
import type { PartnerService } from './partner.service';
import { landingUrl } from './program';
import { tokenDigest, TrackingLinks } from './tracking-link';

/** Sweep the de-dup map of entries past the window once it holds this many. */
const SWEEP_AT = 100_000;

export class ClickService {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly deps: { links: TrackingLinks; partners: PartnerService; journal: Journal<ClickRecord>; dedupWindowMs: number },
  ) {}

  /**
   * Replays what a dead process left in the journal and remembers its clicks for de-duplication;
   * `onFlushError` hears each failed write to Neo4j (the clicks stay journaled for the next).
   */
  async start(onFlushError?: (error: unknown) => void): Promise<number> {
    const replayed = await this.deps.journal.start(onFlushError);
    const since = Date.now() - this.deps.dedupWindowMs;
    for (const click of replayed) if (click.at >= since) this.recent.set(click.digest, Math.max(click.at, this.recent.get(click.digest) ?? 0));
    return replayed.length;
  }

  /** Writes every journaled click to Neo4j now (tests and benchmarks compare counts after it). */
  async drain(): Promise<void> {
    await this.deps.journal.flushNow();
  }

  async stop(): Promise<void> {
    await this.deps.journal.stop();
  }

  /**
   * The landing URL to redirect to once the click is durable, or null for a token that must get a 404.
   * Throws JournalUnavailableError when the journal cannot take the click (bound reached, disk refusing writes).
   */
  async click(token: string, now = Date.now()): Promise<string | null> {
    const ticket = this.deps.links.open(token);
    if (!ticket || ticket.expiresAt < now) return null;
    let program;
    try {
      program = await this.deps.partners.currentProgram(ticket.partnerId);
    } catch (error) {
      // A partner deleted since the link was served; any other failure (Neo4j away) is not a 404.
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    const digest = tokenDigest(token);
    const last = this.recent.get(digest);
    if (last !== undefined && now - last < this.deps.dedupWindowMs) return landingUrl(program, ticket.productId);
    // Taken before the append, so concurrent repeats of the token wait on nothing and record nothing.
    this.recent.set(digest, now);
    if (this.recent.size > SWEEP_AT) this.sweep(now);
    try {
      await this.deps.journal.append({ ...clickIds(digest, now, this.deps.dedupWindowMs), at: now, partnerId: ticket.partnerId, userId: ticket.userId, productId: ticket.productId, recommendationId: ticket.recommendationId, digest });
    } catch (error) {
      if (this.recent.get(digest) === now) this.recent.delete(digest);
      throw error;
    }
    return landingUrl(program, ticket.productId);
  }

  private sweep(now: number): void {
    for (const [digest, at] of this.recent) if (now - at >= this.deps.dedupWindowMs) this.recent.delete(digest);
  }
}
