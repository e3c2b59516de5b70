/**
 * Cypher behind partner reports: recommendations served per (partner, day, product) as counters
 * (:PartnerServed {key, partnerId, day, productId, count}), and the partner's clicks and conversions
 * grouped by day, category or product.
 */
import type { Database } from '../db/database';
import type { ServedCount } from '../services/partner/served-counter';

const ADD_SERVED = {
  name: 'partnerReport.addServed',
  cypher: `UNWIND $counts AS c
           MERGE (s:PartnerServed {key: c.partnerId + ':' + toString(c.day) + ':' + c.productId})
           ON CREATE SET s.partnerId = c.partnerId, s.day = datetime({epochMillis: toInteger(c.day)}), s.productId = c.productId, s.count = 0
           SET s.count = s.count + c.count`,
};

export class PartnerReportRepository {
  constructor(private readonly db: Database) {}

  async addServed(counts: ServedCount[]): Promise<void> {
    await this.db.writeOne(ADD_SERVED, { counts });
  }
}
