import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../common/scalars';

export const ReportGroupEnum = { DAY: 'DAY', CATEGORY: 'CATEGORY', PRODUCT: 'PRODUCT' } as const;
registerEnumType(ReportGroupEnum, { name: 'ReportGroup', description: 'DAY (UTC, key YYYY-MM-DD), CATEGORY (a product counts in each of its categories) or PRODUCT.' });

@ObjectType({
  description:
    'One group of a partner report. Click figures need at least PRIVACY_MIN_EVENTS (10) distinct members per day and group, conversion figures ' +
    'the same: smaller cells are left out of the sums, and a group with none left is null. Counts may carry Laplace noise.',
})
export class PartnerReportRow {
  @Field() key!: string;
  @Field(() => Int) recommendationsServed!: number;
  @Field(() => Int, { nullable: true }) clicks!: number | null;
  @Field(() => Int, { nullable: true, description: 'Distinct clicking members per day, summed over the days.' }) uniqueClicks!: number | null;
  @Field(() => Float, { nullable: true, description: 'clicks / recommendationsServed' }) ctr!: number | null;
  @Field(() => Int, { nullable: true, description: 'Orders attributed to you, not reversed.' }) conversions!: number | null;
  @Field(() => Float, { nullable: true, description: 'conversions / clicks' }) conversionRate!: number | null;
  @Field(() => Float, { nullable: true }) revenue!: number | null;
  @Field(() => Float, { nullable: true }) commission!: number | null;
  @Field(() => Float, { nullable: true, description: 'Earnings per click: commission / clicks.' }) epc!: number | null;
}

@ObjectType()
export class PartnerReport {
  @Field(() => DateTime, { description: 'Start of the first UTC day.' }) from!: Date;
  @Field(() => DateTime, { description: 'End (exclusive) of the last UTC day.' }) to!: Date;
  @Field(() => [PartnerReportRow]) rows!: PartnerReportRow[];
  @Field(() => Int) minGroupSize!: number;
  @Field(() => Float, { nullable: true, description: 'Epsilon spent so far, this report included (null: no noise).' }) epsilonSpent!: number | null;
  @Field(() => Float) epsilonBudget!: number;
}

@ObjectType()
export class ProgramPerformance {
  @Field(() => ID) partnerId!: string;
  @Field(() => Int) recommendationsServed!: number;
  @Field(() => Int) clicks!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Float) revenue!: number;
  @Field(() => Float) commission!: number;
}

@ObjectType()
export class AudienceSegmentCell {
  @Field(() => ID) segmentId!: string;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => Int, { nullable: true, description: 'null: below PRIVACY_MIN_AUDIENCE (50), or hidden so the others do not reveal a small one.' })
  members!: number | null;
}

@ObjectType({ description: 'Members shared with both partners (partnerA = partnerB: the partner\'s audience), and their segments.' })
export class AudienceOverlap {
  @Field(() => ID) partnerA!: string;
  @Field(() => ID) partnerB!: string;
  @Field(() => Int, { nullable: true, description: 'null: below PRIVACY_MIN_AUDIENCE (50).' }) members!: number | null;
  @Field(() => [AudienceSegmentCell]) segments!: AudienceSegmentCell[];
}
