/**
 * recordConversion (the shop's checkout): idempotent by orderId, attributed to a partner click
 * (attribution.ts), commission per item at the terms in force at that click; PENDING until the lock
 * period has passed (approveDue), or REVERSED (returns, fraud) with its commission set to 0.
 */
import { BadInputError, NotFoundError } from '../../errors';
import type { ConversionRepository, ConversionRow } from '../../repositories/conversion.repository';
import { attribute } from './attribution';
import type { PartnerService } from './partner.service';
import { commissionRate } from './program';

export interface ConversionItemInput {
  productId: string;
  quantity: number;
  unitPrice: number;
}

/** How far back clicks are looked for; no program window is longer. */
const MAX_WINDOW_MS = 365 * 86_400_000;

const cents = (x: number): number => Math.round(x * 100) / 100;

export class ConversionService {
  constructor(
    private readonly repo: ConversionRepository,
    private readonly partners: PartnerService,
    private readonly lockMs: number,
  ) {}

  async record(args: { orderId: string; userId: string; items: ConversionItemInput[]; at?: number | null }): Promise<ConversionRow> {
    if (args.items.length === 0) throw new BadInputError('An order needs at least one item', { fields: ['items'] });
    const at = args.at ?? Date.now();
    const context = await this.repo.context({ orderId: args.orderId, userId: args.userId, since: at - MAX_WINDOW_MS, at, productIds: [...new Set(args.items.map((i) => i.productId))] });
    if (context.existing) return context.existing;
    const { clicks, ancestry } = context;
    const programs = clicks.length > 0 ? await this.partners.programHistory([...new Set(clicks.map((c) => c.partnerId))]) : new Map();
    const attribution = attribute(clicks, programs, at);
    const items = args.items.map((item) => ({
      ...item,
      commission: attribution ? cents(item.quantity * item.unitPrice * commissionRate(attribution.program, item.productId, ancestry.get(item.productId) ?? [])) : 0,
    }));
    try {
      return await this.repo.create({
        orderId: args.orderId,
        userId: args.userId,
        at,
        lockUntil: at + this.lockMs,
        partnerId: attribution?.click.partnerId ?? null,
        programVersion: attribution?.program.version ?? null,
        clickId: attribution?.click.clickId ?? null,
        recommendationId: attribution?.click.recommendationId ?? null,
        revenue: cents(items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0)),
        commission: cents(items.reduce((sum, i) => sum + i.commission, 0)),
        items,
      });
    } catch (error) {
      // A concurrent call with the same orderId won the constraint: its conversion is the answer.
      const raced = await this.repo.byOrder(args.orderId);
      if (raced) return raced;
      throw error;
    }
  }

  /** PENDING conversions whose lock period has passed become APPROVED; returns how many. */
  async approveDue(now = Date.now()): Promise<number> {
    return this.repo.approveDue(now);
  }

  async reverse(orderId: string, reason: string): Promise<ConversionRow> {
    await this.repo.reverse(orderId, reason);
    const row = await this.repo.byOrder(orderId);
    if (!row) throw new NotFoundError('Conversion', orderId);
    return row;
  }
}
