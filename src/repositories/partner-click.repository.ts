/**
 * Partner clicks are interaction events: (:User)-[:INTERACTED {eventId, type: 'CLICK', at, weight,
 * partnerId, recommendationId}]->(:Product), so they count as interest like any click and the
 * serving caches see the user acted (eventsRecordedAt). interaction_partner indexes partnerId.
 */
import type { Database } from '../db/database';
import { TYPE_WEIGHT } from '../domain/interaction-weight';

export interface ClickRecord {
  /** Unique per recorded click (a UUID): replaying a journal writes each once. */
  id: string;
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
 * Idempotent by eventId: the journal may hand a batch over twice after a crash. The existence
 * check skips what is stored; the interaction_event_id constraint stops a concurrent duplicate.
 */
const CREATE_CLICKS = {
  name: 'partnerClick.create',
  cypher: `UNWIND $clicks AS c
           MATCH (u:User {id: c.userId})
           MATCH (p:Product {id: c.productId})
           WITH u, p, c WHERE NOT EXISTS { ()-[:INTERACTED {eventId: c.id}]->() }
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

  async create(clicks: ClickRecord[]): Promise<void> {
    await this.db.writeOne(CREATE_CLICKS, { clicks, weight: TYPE_WEIGHT.CLICK });
  }

  /** Clicks stored for these partners (tests and the benchmark compare it with redirects answered). */
  async count(partnerIds: string[]): Promise<number> {
    return (await this.db.readOne<{ count: number }>(COUNT, { partnerIds }))[0]?.count ?? 0;
  }
}
