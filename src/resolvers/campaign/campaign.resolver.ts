import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import type { CampaignRow } from '../../repositories/campaign.repository';
import { toConnection } from '../common/connection';
import { CreateCampaignInput } from './campaign.input';
import { Campaign, CampaignAudienceConnection, CampaignReport } from './campaign.type';

function toCampaign(row: CampaignRow): Campaign {
  return { ...row, start: new Date(row.start), end: new Date(row.end) };
}

@Resolver(() => Campaign)
export class CampaignResolver {
  @Authorized('analyst', 'admin')
  @Query(() => [Campaign], { description: 'Every campaign, newest first.' })
  async campaigns(@Ctx() ctx: Context): Promise<Campaign[]> {
    return (await ctx.services.campaigns.list()).map(toCampaign);
  }

  @Authorized('admin')
  @Mutation(() => Campaign, { description: 'Creates a campaign and assigns the segments’ members to treatment or holdout (stored). Admin only.' })
  async createCampaign(@Arg('input', () => CreateCampaignInput) input: CreateCampaignInput, @Ctx() ctx: Context): Promise<Campaign> {
    const row = await ctx.services.campaigns.create({ ...input, start: input.start?.getTime() ?? null, end: input.end.getTime() });
    return toCampaign(row);
  }

  @Authorized('admin')
  @Query(() => CampaignAudienceConnection, { description: 'Treatment members to deliver to, by user id (keyset pages), with the copy to send. Holdout members are never listed.' })
  async campaignAudience(
    @Arg('campaignId', () => ID) campaignId: string,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<CampaignAudienceConnection> {
    const page = await ctx.services.campaigns.audience(campaignId, { first, after });
    return toConnection(page, (m) => ({ user: { id: m.userId, createdAt: null, country: null }, copy: m.copy, copyIndex: m.copyIndex, productIds: m.productIds }));
  }

  @Authorized('analyst', 'admin')
  @Query(() => CampaignReport, { description: 'Incremental lift of the campaign: treatment against holdout, with 95% intervals, CUPED, sequential p-value and SRM.' })
  async campaignReport(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CampaignReport> {
    const report = await ctx.services.campaigns.report(id);
    return { campaign: toCampaign(report.campaign), until: new Date(report.until), groups: report.comparison.groups, sampleRatio: report.comparison.sampleRatio };
  }
}
