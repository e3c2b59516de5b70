/**
 * Partner clicks are interaction events: (:User)-[:INTERACTED {eventId, type: 'CLICK', at, weight,
 * partnerId, recommendationId}]->(:Product), so they count as interest like any click and the
 * serving caches see the user acted (eventsRecordedAt). interaction_partner indexes partnerId.
 */
import type { Database } from '../db/database';
import { TYPE_WEIGHT } from '../domain/interaction-weight';
import { firstClicks } from '../domain/click-id';

export interface ClickRecord {
  /** Derived from the token and the de-dup window (click-id.ts): replays and retries name one click alike. */
  id: string;
  /** The id of a click of the same token in the window-long bucket before; null in records journaled before it existed. */
  previousId?: string | null;
  /** Epoch ms. */
  at: number;
  partnerId: string;
  userId: string;
  productId: string;
  recommendationId: string;
  /** tokenDigest of the link: repeats within the de-dup window are not recorded. */
  digest: string;
}

/**
 * Idempotent by eventId: the journal may hand a batch over twice after a crash, and a retried token
 * (another replica, a restarted process) carries the same id. Both existence checks are seeks on the
 * interaction_event_id constraint: the click itself, and its token's click of the bucket before while
 * less than a window old. The constraint stops a concurrent duplicate (the batch is retried).
 */
const CREATE_CLICKS = {
  name: 'partnerClick.create',
  cypher: `UNWIND $clicks AS c
           MATCH (u:User {id: c.userId})
           MATCH (p:Product {id: c.productId})
           WITH u, p, c WHERE NOT EXISTS { ()-[:INTERACTED {eventId: c.id}]->() }
             AND NOT EXISTS { ()-[r:INTERACTED {eventId: c.previousId}]->() WHERE r.at > datetime({epochMillis: toInteger(c.at - $windowMs)}) }
           CREATE (u)-[:INTERACTED {eventId: c.id, type: 'CLICK', at: datetime({epochMillis: toInteger(c.at)}),
                                   weight: $weight, partnerId: c.partnerId, recommendationId: c.recommendationId}]->(p)
           SET u.eventsRecordedAt = datetime()`,
};

const COUNT = {
  name: 'partnerClick.count',
  cypher: `UNWIND $partnerIds AS partnerId
           MATCH ()-[r:INTERACTED {partnerId: partnerId}]->()
           RETURN count(r) AS count`,
};

export class PartnerClickRepository {
  constructor(private readonly db: Database) {}

  async create(clicks: ClickRecord[], windowMs: number): Promise<void> {
    const rows = firstClicks(
      clicks.map((c) => ({ ...c, previousId: c.previousId ?? '' })),
      windowMs,
    );
    await this.db.writeOne(CREATE_CLICKS, { clicks: rows, weight: TYPE_WEIGHT.CLICK, windowMs });
  }

  /** Clicks stored for these partners (tests and the benchmark compare it with redirects answered). */
  async count(partnerIds: string[]): Promise<number> {
    return (await this.db.readOne<{ count: number }>(COUNT, { partnerIds }))[0]?.count ?? 0;
  }
}
