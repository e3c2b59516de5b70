import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { DateTime } from '../common/scalars';
import { partnerOf } from './partner.resolver';
import { AudienceOverlap, PartnerReport, ProgramPerformance, ReportGroupEnum } from './report.type';

/** The calling partner's report (partner schema). */
@Resolver()
export class PartnerReportResolver {
  @Authorized('partner')
  @Query(() => PartnerReport, { description: 'Your figures per DAY, CATEGORY or PRODUCT over whole UTC days from..to; small cells suppressed, counts may carry noise.' })
  async partnerReport(
    @Arg('from', () => DateTime) from: Date,
    @Arg('to', () => DateTime) to: Date,
    @Arg('groupBy', () => ReportGroupEnum, { defaultValue: 'DAY' }) groupBy: 'DAY' | 'CATEGORY' | 'PRODUCT',
    @Ctx() ctx: Context,
  ): Promise<PartnerReport> {
    const report = await ctx.services.partnerReports.partnerReport({ partnerId: partnerOf(ctx), from, to, groupBy });
    return { ...report, from: new Date(report.from), to: new Date(report.to) };
  }
}

/** Analysts' view across partners (main schema). */
@Resolver()
export class PartnerAnalyticsResolver {
  @Authorized('analyst')
  @Query(() => [ProgramPerformance], { description: 'Every partner program over whole UTC days from..to (analyst).' })
  async programPerformance(@Arg('from', () => DateTime) from: Date, @Arg('to', () => DateTime) to: Date, @Ctx() ctx: Context): Promise<ProgramPerformance[]> {
    const rows = await ctx.services.partnerReports.programPerformance(from, to);
    return rows.map((r) => ({ ...r, recommendationsServed: r.served }));
  }

  @Authorized('analyst')
  @Query(() => [AudienceOverlap], { description: 'Shared-member overlap between partners and the segments of those members; small cells suppressed (analyst).' })
  async audienceOverlap(@Arg('partnerIds', () => [ID]) partnerIds: string[], @Ctx() ctx: Context): Promise<AudienceOverlap[]> {
    return ctx.services.partnerReports.audienceOverlap(partnerIds);
  }
}
