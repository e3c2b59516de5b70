/**
 * Cypher for conversions: (:User)-[:PLACED]->(:Conversion {orderId, status, revenue, commission,
 * partnerId, programVersion, clickId, recommendationId, at, lockUntil})-[:HAS_ITEM {quantity,
 * unitPrice, commission}]->(:Product). conversion_order_id makes orderId unique (idempotency).
 */
import type { Database } from '../db/database';

export type ConversionStatus = 'PENDING' | 'APPROVED' | 'REVERSED';

export interface ConversionRow {
  orderId: string;
  status: ConversionStatus;
  partnerId: string | null;
  programVersion: number | null;
  revenue: number;
  commission: number;
  at: number;
  lockUntil: number;
}

export interface PartnerClickRow {
  clickId: string;
  partnerId: string;
  at: number;
  recommendationId: string | null;
}

export interface ConversionContext {
  existing: ConversionRow | undefined;
  clicks: PartnerClickRow[];
  /** productId → its categories, nearest first. */
  ancestry: Map<string, string[]>;
}

export interface ConversionWrite extends Omit<ConversionRow, 'status'> {
  userId: string;
  clickId: string | null;
  recommendationId: string | null;
  items: { productId: string; quantity: number; unitPrice: number; commission: number }[];
}

const FIELDS = `c.orderId AS orderId, c.status AS status, c.partnerId AS partnerId, c.programVersion AS programVersion,
  c.revenue AS revenue, c.commission AS commission, c.at.epochMillis AS at, c.lockUntil.epochMillis AS lockUntil`;

const BY_ORDER = { name: 'conversion.byOrder', cypher: `MATCH (c:Conversion {orderId: $orderId}) RETURN ${FIELDS}` };

/** FIELDS as the entries of a map literal (`orderId: c.orderId, ...`). */
function mapOf(fields: string): string {
  return fields
    .split(',')
    .map((f) => f.trim().split(/\s+AS\s+/))
    .map(([value, key]) => `${key}: ${value}`)
    .join(', ');
}

/**
 * What recording an order needs, in one read: the conversion already stored under the orderId (the
 * call is idempotent), the user's partner clicks in [since, at] whose partner still shares the user
 * (revoked members attribute nothing), and each ordered product's categories, nearest first (its
 * own, then their parents, up to 4 levels). Every lookup starts from a unique index.
 */
const CONTEXT = {
  name: 'conversion.context',
  cypher: `CALL { OPTIONAL MATCH (c:Conversion {orderId: $orderId}) RETURN CASE WHEN c IS NULL THEN null ELSE {${mapOf(FIELDS)}} END AS existing }
           CALL {
             OPTIONAL MATCH (u:User {id: $userId})-[r:INTERACTED {type: 'CLICK'}]->(:Product)
             WHERE r.partnerId IS NOT NULL AND r.at >= datetime({epochMillis: toInteger($since)}) AND r.at <= datetime({epochMillis: toInteger($at)})
               AND EXISTS { (u)-[:MEMBER_OF]->(:Partner {id: r.partnerId}) }
             RETURN collect({clickId: r.eventId, partnerId: r.partnerId, at: r.at.epochMillis, recommendationId: r.recommendationId}) AS clicks
           }
           CALL {
             UNWIND $productIds AS pid
             MATCH (p:Product {id: pid})
             OPTIONAL MATCH path = (p)-[:IN_CATEGORY]->(:Category)-[:SUBCATEGORY_OF*0..4]->(c:Category)
             WITH pid, c, min(length(path)) AS depth ORDER BY pid, depth, c.id
             WITH pid, [id IN collect(c.id) WHERE id IS NOT NULL] AS ancestry
             RETURN collect([pid, ancestry]) AS ancestry
           }
           RETURN existing, clicks, ancestry`,
};

const CREATE = {
  name: 'conversion.create',
  cypher: `MERGE (u:User {id: $c.userId}) ON CREATE SET u.createdAt = datetime()
           CREATE (u)-[:PLACED]->(c:Conversion {orderId: $c.orderId, status: 'PENDING', partnerId: $c.partnerId,
             programVersion: $c.programVersion, clickId: $c.clickId, recommendationId: $c.recommendationId,
             revenue: $c.revenue, commission: $c.commission, at: datetime({epochMillis: toInteger($c.at)}),
             lockUntil: datetime({epochMillis: toInteger($c.lockUntil)}), createdAt: datetime()})
           WITH c
           CALL {
             WITH c
             UNWIND $c.items AS it
             MATCH (p:Product {id: it.productId})
             CREATE (c)-[:HAS_ITEM {quantity: it.quantity, unitPrice: it.unitPrice, commission: it.commission}]->(p)
           }
           RETURN ${FIELDS}`,
};

/** conversion_status_lock backs the lookup. */
const APPROVE_DUE = {
  name: 'conversion.approveDue',
  cypher: `MATCH (c:Conversion) WHERE c.status = 'PENDING' AND c.lockUntil <= datetime({epochMillis: toInteger($now)})
           SET c.status = 'APPROVED', c.approvedAt = datetime()
           RETURN count(c) AS approved`,
};

/** The commission is kept as reversedCommission; the payable commission becomes 0. */
const REVERSE = {
  name: 'conversion.reverse',
  cypher: `MATCH (c:Conversion {orderId: $orderId}) WHERE c.status <> 'REVERSED'
           SET c.status = 'REVERSED', c.reversedAt = datetime(), c.reverseReason = $reason,
               c.reversedCommission = c.commission, c.commission = 0.0`,
};

export class ConversionRepository {
  constructor(private readonly db: Database) {}

  async byOrder(orderId: string): Promise<ConversionRow | undefined> {
    return (await this.db.readOne<ConversionRow>(BY_ORDER, { orderId }))[0];
  }

  /** The stored conversion of the order (if any), the user's partner clicks in [since, at] and the products' category ancestry. */
  async context(args: { orderId: string; userId: string; since: number; at: number; productIds: string[] }): Promise<ConversionContext> {
    const row = (
      await this.db.readOne<{ existing: ConversionRow | null; clicks: PartnerClickRow[]; ancestry: [string, string[]][] }>(CONTEXT, args)
    )[0];
    return { existing: row?.existing ?? undefined, clicks: row?.clicks ?? [], ancestry: new Map(row?.ancestry ?? []) };
  }

  /** Stores a new conversion and returns it as stored; throws (constraint) when the orderId is taken. */
  async create(conversion: ConversionWrite): Promise<ConversionRow> {
    return (await this.db.writeOne<ConversionRow>(CREATE, { c: conversion }))[0];
  }

  async approveDue(now: number): Promise<number> {
    return (await this.db.writeOne<{ approved: number }>(APPROVE_DUE, { now }))[0]?.approved ?? 0;
  }

  async reverse(orderId: string, reason: string): Promise<void> {
    await this.db.writeOne(REVERSE, { orderId, reason });
  }
}
