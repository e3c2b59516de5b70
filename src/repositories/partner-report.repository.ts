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

export type ReportGroup = 'DAY' | 'CATEGORY' | 'PRODUCT';

/** One (UTC day, group key) cell: the atom reports are summed from (see report.service.ts). */
export interface ClickCell {
  day: string;
  key: string;
  clicks: number;
  members: number;
}

export interface ConversionCell {
  day: string;
  key: string;
  conversions: number;
  members: number;
  revenue: number;
  commission: number;
}

export interface ServedCell {
  day: string;
  key: string;
  served: number;
}

/** The group keys of a product `p` on a UTC `day`: the day itself, the product, or its direct categories. */
const KEYS = `CASE $groupBy WHEN 'PRODUCT' THEN [p.id] WHEN 'CATEGORY' THEN [(p)-[:IN_CATEGORY]->(cat:Category) | cat.id] ELSE [day] END`;

/** interaction_partner backs the lookup by partnerId. */
const CLICK_CELLS = {
  name: 'partnerReport.clickCells',
  cypher: `MATCH (u:User)-[r:INTERACTED {partnerId: $partnerId}]->(p:Product)
           WHERE r.at >= datetime({epochMillis: toInteger($from)}) AND r.at < datetime({epochMillis: toInteger($to)})
           WITH u, r, p, toString(date(r.at)) AS day
           UNWIND ${KEYS} AS key
           RETURN day, key, count(r) AS clicks, count(DISTINCT u) AS members`,
};

/** conversion_partner_at backs the lookup; reversed orders count for nothing. */
const CONVERSION_CELLS = {
  name: 'partnerReport.conversionCells',
  cypher: `MATCH (u:User)-[:PLACED]->(c:Conversion)
           WHERE c.partnerId = $partnerId AND c.at >= datetime({epochMillis: toInteger($from)}) AND c.at < datetime({epochMillis: toInteger($to)})
             AND c.status <> 'REVERSED'
           WITH u, c, toString(date(c.at)) AS day
           CALL (c, day) {
             WITH c, day WHERE $groupBy = 'DAY'
             RETURN day AS key, c.revenue AS revenue, c.commission AS commission
             UNION
             WITH c, day WHERE $groupBy <> 'DAY'
             MATCH (c)-[it:HAS_ITEM]->(p:Product)
             UNWIND ${KEYS} AS key
             RETURN key, it.quantity * it.unitPrice AS revenue, it.commission AS commission
           }
           RETURN day, key, count(DISTINCT c) AS conversions, count(DISTINCT u) AS members, sum(revenue) AS revenue, sum(commission) AS commission`,
};

const SERVED_CELLS = {
  name: 'partnerReport.servedCells',
  cypher: `MATCH (s:PartnerServed) WHERE s.partnerId = $partnerId AND s.day >= datetime({epochMillis: toInteger($from)}) AND s.day < datetime({epochMillis: toInteger($to)})
           MATCH (p:Product {id: s.productId})
           WITH s, p, toString(date(s.day)) AS day
           UNWIND ${KEYS} AS key
           RETURN day, key, sum(s.count) AS served`,
};

/** Charges epsilon to the partner's budget if it has that much left; no row when it has not. */
const CHARGE = {
  name: 'partnerReport.chargeEpsilon',
  cypher: `MATCH (p:Partner {id: $partnerId})
           WHERE coalesce(p.epsilonSpent, 0.0) + $epsilon <= $budget
           SET p.epsilonSpent = coalesce(p.epsilonSpent, 0.0) + $epsilon
           RETURN p.epsilonSpent AS spent`,
};

export interface PerformanceRow {
  partnerId: string;
  served: number;
  clicks: number;
  conversions: number;
  revenue: number;
  commission: number;
}

const PERFORMANCE = {
  name: 'partnerReport.performance',
  cypher: `MATCH (pt:Partner)
           CALL (pt) {
             OPTIONAL MATCH (s:PartnerServed) WHERE s.partnerId = pt.id AND s.day >= datetime({epochMillis: toInteger($from)}) AND s.day < datetime({epochMillis: toInteger($to)})
             RETURN coalesce(sum(s.count), 0) AS served
           }
           CALL (pt) {
             OPTIONAL MATCH ()-[r:INTERACTED {partnerId: pt.id}]->() WHERE r.at >= datetime({epochMillis: toInteger($from)}) AND r.at < datetime({epochMillis: toInteger($to)})
             RETURN count(r) AS clicks
           }
           CALL (pt) {
             OPTIONAL MATCH (c:Conversion) WHERE c.partnerId = pt.id AND c.at >= datetime({epochMillis: toInteger($from)}) AND c.at < datetime({epochMillis: toInteger($to)}) AND c.status <> 'REVERSED'
             RETURN count(c) AS conversions, coalesce(sum(c.revenue), 0.0) AS revenue, coalesce(sum(c.commission), 0.0) AS commission
           }
           RETURN pt.id AS partnerId, served, clicks, conversions, revenue, commission ORDER BY partnerId`,
};

export interface OverlapRow {
  a: string;
  b: string;
  members: number;
  segments: { segmentId: string; label: string | null; members: number }[];
}

/** Members shared with both partners of each pair (a <= b; a = b: the partner's own audience), and their current segments. */
const OVERLAP = {
  name: 'partnerReport.overlap',
  cypher: `UNWIND $partnerIds AS a
           UNWIND $partnerIds AS b
           WITH a, b WHERE a <= b
           CALL (a, b) {
             MATCH (:Partner {id: a})<-[:MEMBER_OF]-(u:User)-[:MEMBER_OF]->(:Partner {id: b})
             RETURN collect(DISTINCT u) AS users
           }
           CALL (users) {
             UNWIND users AS u
             MATCH (u)-[:IN_SEGMENT]->(s:Segment) WHERE s.current = true
             WITH s, count(DISTINCT u) AS members
             RETURN collect({segmentId: s.id, label: s.label, members: members}) AS segments
           }
           RETURN a, b, size(users) AS members, segments`,
};

export class PartnerReportRepository {
  constructor(private readonly db: Database) {}

  async addServed(counts: ServedCount[]): Promise<void> {
    await this.db.writeOne(ADD_SERVED, { counts });
  }

  async clickCells(args: { partnerId: string; from: number; to: number; groupBy: ReportGroup }): Promise<ClickCell[]> {
    return this.db.readOne<ClickCell>(CLICK_CELLS, args);
  }

  async conversionCells(args: { partnerId: string; from: number; to: number; groupBy: ReportGroup }): Promise<ConversionCell[]> {
    return this.db.readOne<ConversionCell>(CONVERSION_CELLS, args);
  }

  async servedCells(args: { partnerId: string; from: number; to: number; groupBy: ReportGroup }): Promise<ServedCell[]> {
    return this.db.readOne<ServedCell>(SERVED_CELLS, args);
  }

  /** Total epsilon spent after the charge, or null when the budget does not cover it. */
  async chargeEpsilon(partnerId: string, epsilon: number, budget: number): Promise<number | null> {
    return (await this.db.writeOne<{ spent: number }>(CHARGE, { partnerId, epsilon, budget }))[0]?.spent ?? null;
  }

  async performance(from: number, to: number): Promise<PerformanceRow[]> {
    return this.db.readOne<PerformanceRow>(PERFORMANCE, { from, to });
  }

  async overlap(partnerIds: string[]): Promise<OverlapRow[]> {
    return this.db.readOne<OverlapRow>(OVERLAP, { partnerIds });
  }
}
