/**
 * Campaigns with a holdout: the members of the target segments are split once, at creation, into
 * treatment and holdout by the same hash as experiments (campaign id + user id) and stored; treatment
 * members are listed for delivery with the copy variant each gets, holdout members get nothing.
 * The effect is incremental: conversion and revenue per member, treatment against holdout, over the
 * campaign window (comparison.ts), not only the clicks the message drew.
 */
import { randomUUID } from 'node:crypto';
import { BadInputError, NotFoundError } from '../../errors';
import type { CampaignMemberWrite, CampaignRepository, CampaignRow } from '../../repositories/campaign.repository';
import { encodeCursor, decodeCursor } from '../../shared/cursor';
import { type Page, pageSize } from '../../shared/page';
import { bucketOf, pickByWeight } from './assignment';
import { type Comparison, compare } from './comparison';

export interface CreateCampaignInput {
  name: string;
  segmentIds: string[];
  /** The products to promote; null or empty: each member's personal recommendations. */
  productIds?: string[] | null;
  channel: string;
  /** Texts the marketer gives (a later merge can fill them from generated copy); members get one each, by hash. */
  copyVariants: string[];
  /** 0 < share < 1 of members held out. */
  holdoutShare: number;
  start?: number | null;
  end: number;
}

export interface CampaignMember {
  userId: string;
  copy: string;
  copyIndex: number;
  productIds: string[] | null;
}

export interface CampaignReport {
  campaign: CampaignRow;
  until: number;
  /** Holdout first (the control), then treatment. */
  comparison: Comparison;
}

const WRITE_BATCH = 5000;
const MAX_PRE_PERIOD_MS = 28 * 24 * 3600 * 1000;

export class CampaignService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly segmentExists: (ids: string[]) => Promise<string[]>,
    private readonly maxPageSize: number,
  ) {}

  async create(input: CreateCampaignInput): Promise<CampaignRow> {
    const start = input.start ?? Date.now();
    if (!(input.end > start)) throw new BadInputError('end must be after start');
    if (!(input.holdoutShare > 0 && input.holdoutShare < 1)) throw new BadInputError('holdoutShare must be between 0 and 1 (exclusive)');
    if (input.copyVariants.length === 0) throw new BadInputError('give at least one copy variant');
    if (input.segmentIds.length === 0) throw new BadInputError('give at least one segment');
    const found = await this.segmentExists(input.segmentIds);
    const missing = input.segmentIds.filter((id) => !found.includes(id));
    if (missing.length > 0) throw new BadInputError(`unknown segments: ${missing.join(', ')}`);
    const id = `cmp_${randomUUID()}`;
    await this.campaigns.create({
      id,
      name: input.name,
      segmentIds: input.segmentIds,
      productIds: input.productIds?.length ? input.productIds : null,
      channel: input.channel,
      copyVariants: input.copyVariants,
      holdoutShare: input.holdoutShare,
      start,
      end: input.end,
    });
    const members = await this.campaigns.segmentMembers(input.segmentIds);
    const copies = input.copyVariants.map(() => 1);
    for (let i = 0; i < members.length; i += WRITE_BATCH) {
      const rows: CampaignMemberWrite[] = members.slice(i, i + WRITE_BATCH).map((userId) => ({
        userId,
        group: bucketOf(id, userId) < input.holdoutShare ? 'HOLDOUT' : 'TREATMENT',
        // Its own hash, so which copy a member gets is independent of the holdout split.
        copy: pickByWeight(copies, bucketOf(`${id}/copy`, userId)),
      }));
      await this.campaigns.addMembers(id, rows);
    }
    return this.get(id);
  }

  async get(id: string): Promise<CampaignRow> {
    const row = await this.campaigns.byId(id);
    if (!row) throw new NotFoundError('Campaign', id);
    return row;
  }

  async list(): Promise<CampaignRow[]> {
    return this.campaigns.all();
  }

  /** Treatment members to deliver to, by user id, with the copy each gets. */
  async audience(id: string, args: { first?: number | null; after?: string | null }): Promise<Page<CampaignMember>> {
    const campaign = await this.get(id);
    const size = pageSize(args.first, this.maxPageSize);
    const after = args.after ? String(decodeCursor(args.after, 1)[0]) : '';
    const rows = await this.campaigns.audience(id, after, size + 1);
    const treatment = campaign.members - campaign.holdout;
    return {
      items: rows.slice(0, size).map((r) => ({
        node: { userId: r.userId, copy: campaign.copyVariants[r.copy], copyIndex: r.copy, productIds: campaign.productIds },
        cursor: encodeCursor([r.userId]),
      })),
      hasNextPage: rows.length > size,
      hasPreviousPage: after !== '',
      totalCount: async () => treatment,
    };
  }

  async report(id: string): Promise<CampaignReport> {
    const campaign = await this.get(id);
    const until = Math.min(campaign.end, Date.now());
    const preFrom = campaign.start - Math.min(MAX_PRE_PERIOD_MS, Math.max(0, until - campaign.start));
    const rows = await this.campaigns.outcomes(id, { start: campaign.start, until, preFrom });
    const outcome = (r: (typeof rows)[number]) => ({ converted: r.purchases > 0, revenue: r.revenue, clicks: r.clicks, exposures: 0, pre: r.pre });
    const comparison = compare([
      { name: 'HOLDOUT', weight: campaign.holdoutShare, members: rows.filter((r) => r.group === 'HOLDOUT').map(outcome) },
      { name: 'TREATMENT', weight: 1 - campaign.holdoutShare, members: rows.filter((r) => r.group === 'TREATMENT').map(outcome) },
    ]);
    return { campaign, until, comparison };
  }
}
