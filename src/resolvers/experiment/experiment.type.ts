import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { GroupComparison, Interval, SampleRatioCheck } from './comparison.type';

@ObjectType({ description: 'The experiment variant that served a recommendations response.' })
export class ExperimentAssignment {
  @Field(() => ID) id!: string;
  @Field({ description: 'The variant the user is assigned to (sticky: a hash of experiment and user id).' }) variant!: string;
  @Field({ description: 'The variant was stopped: the response was served as the control.' }) fallback!: boolean;
}

@ObjectType({ description: 'What serves a variant: options of the one recommendation pipeline. All absent: as the control serves.' })
export class ExperimentStrategy {
  @Field(() => String, { nullable: true, description: 'A model version that still holds its slot (the active one or the previous).' }) modelVersion?: string | null;
  @Field(() => Float, { nullable: true, description: 'MMR diversity 0..1, overriding the request’s.' }) diversity?: number | null;
  @Field(() => [String], { nullable: true, description: 'Candidate sources in the order to ask them (names as in the README); trending is always last.' })
  sourceOrder?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Serve trending products only.' }) trendingOnly?: boolean | null;
}

@ObjectType()
export class ExperimentVariant {
  @Field() name!: string;
  @Field(() => Float) weight!: number;
  @Field(() => ExperimentStrategy) strategy!: ExperimentStrategy;
  @Field({ description: 'Stopped (guardrail or by hand): its users are served as the control.' }) stopped!: boolean;
  @Field(() => String, { nullable: true }) stopReason!: string | null;
  @Field(() => Int, { description: 'Requests served (all replicas, as flushed).' }) requests!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float, { description: 'p99 latency in ms (upper bound of its histogram bucket).' }) p99LatencyMs!: number;
}

@ObjectType({ description: 'A recorded stop or conclusion, with its reason.' })
export class ExperimentDecision {
  @Field({ description: 'STOP_VARIANT, STOP or CONCLUDE.' }) kind!: string;
  @Field(() => String, { nullable: true }) variant!: string | null;
  @Field() reason!: string;
  @Field(() => DateTime) at!: Date;
}

@ObjectType({ description: 'An experiment on recommendations: users are split by a hash into weighted variants, each served by its strategy.' })
export class Experiment {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'RUNNING, STOPPED or CONCLUDED.' }) status!: string;
  @Field(() => String, { nullable: true }) statusReason!: string | null;
  @Field(() => DateTime) start!: Date;
  @Field(() => DateTime) end!: Date;
  @Field(() => [ID], { nullable: true, description: 'The audience; null: every user.' }) segmentIds!: string[] | null;
  @Field(() => [ExperimentVariant], { description: 'The first is the control.' }) variants!: ExperimentVariant[];
}

@ObjectType()
export class AttributedCounts {
  @Field() variant!: string;
  @Field(() => Int, { description: 'Clicks citing a recommendationId this variant issued.' }) clicks!: number;
  @Field(() => Int) purchases!: number;
}

@ObjectType({ description: 'A variant’s cumulative conversion at one time: members first exposed by then and how many had purchased by then.' })
export class ConversionPoint {
  @Field(() => DateTime, { description: 'Counts run to this time (end of a day since the start; the last point is the report’s until).' }) at!: Date;
  @Field(() => Int) users!: number;
  @Field(() => Int) conversions!: number;
  @Field(() => Interval, { description: 'conversions / users with a Wilson 95% interval.' }) conversionRate!: Interval;
}

@ObjectType()
export class VariantConversionSeries {
  @Field() variant!: string;
  @Field(() => [ConversionPoint]) points!: ConversionPoint[];
}

@ObjectType({ description: 'Outcomes of every exposed user from their first exposure, per variant, with the statistics.' })
export class ExperimentReport {
  @Field(() => Experiment) experiment!: Experiment;
  @Field(() => DateTime, { description: 'Outcomes counted until then (the end, or now while running).' }) until!: Date;
  @Field(() => [GroupComparison]) variants!: GroupComparison[];
  @Field(() => SampleRatioCheck) sampleRatio!: SampleRatioCheck;
  @Field(() => [AttributedCounts]) attributed!: AttributedCounts[];
  @Field(() => [ExperimentDecision]) decisions!: ExperimentDecision[];
  @Field(() => [VariantConversionSeries], { description: 'Cumulative conversion rate per variant, day by day, for charts.' }) series!: VariantConversionSeries[];
}
