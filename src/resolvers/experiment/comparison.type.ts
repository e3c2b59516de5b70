import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An estimate with its 95% confidence interval.' })
export class Interval {
  @Field(() => Float) estimate!: number;
  @Field(() => Float) low!: number;
  @Field(() => Float) high!: number;
}

@ObjectType({ description: 'Relative lift over the control, (treatment / control) - 1, with a delta-method 95% interval and the fixed-horizon two-sided p-value.' })
export class Lift extends Interval {
  @Field(() => Float) pValue!: number;
}

@ObjectType({ description: 'A group compared with the control (the first group).' })
export class VersusControl {
  @Field(() => Lift, { nullable: true, description: 'Conversion rate lift (null while the control has no conversions).' }) conversionLift!: Lift | null;
  @Field(() => Lift, { nullable: true, description: 'Revenue per member lift.' }) revenueLift!: Lift | null;
  @Field(() => Lift, { nullable: true, description: 'Conversion lift after CUPED on each member’s pre-period activity (same expectation, narrower interval).' })
  cupedConversionLift!: Lift | null;
  @Field(() => Lift, { nullable: true, description: 'Revenue per member lift after CUPED.' }) cupedRevenueLift!: Lift | null;
  @Field(() => Float, { description: 'Share of the conversion variance CUPED removed.' }) varianceReduction!: number;
  @Field(() => Float, {
    description:
      'Always-valid p-value (mSPRT, normal mixture) of "no difference in conversion", CUPED-adjusted: may be read at every look without inflating false positives. The lift intervals are fixed-horizon: read them at the planned end.',
  })
  sequentialPValue!: number;
}

@ObjectType({ description: 'One variant (or treatment/holdout group) and its outcomes over the window.' })
export class GroupComparison {
  @Field() name!: string;
  @Field(() => Int, { description: 'Members counted (exposed users for an experiment, assigned members for a campaign).' }) users!: number;
  @Field(() => Int, { description: 'Recommendation responses served to them.' }) exposures!: number;
  @Field(() => Int) clicks!: number;
  @Field(() => Int, { description: 'Members with at least one purchase in the window.' }) conversions!: number;
  @Field(() => Float, { description: 'Sum of the purchased products’ prices.' }) revenue!: number;
  @Field(() => Interval, { description: 'conversions / users with a Wilson 95% interval.' }) conversionRate!: Interval;
  @Field(() => Interval, { description: 'Revenue per member with a normal 95% interval.' }) revenuePerMember!: Interval;
  @Field(() => VersusControl, { nullable: true, description: 'Null for the control.' }) versusControl!: VersusControl | null;
}

@ObjectType({ description: 'Sample-ratio check: chi-square of the members per group against their configured shares; mismatch when p < 0.001 (assignment or logging is broken).' })
export class SampleRatioCheck {
  @Field(() => Float) chiSquare!: number;
  @Field(() => Float) pValue!: number;
  @Field() mismatch!: boolean;
}
