import { ArrayMaxSize, ArrayMinSize, IsPositive, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import { DateTime } from '../common/scalars';

@InputType({ description: 'What serves a variant; all absent: as the control serves. trendingOnly excludes sourceOrder.' })
export class ExperimentStrategyInput {
  @Field(() => String, { nullable: true }) modelVersion?: string | null;
  @Min(0)
  @Max(1)
  @Field(() => Float, { nullable: true })
  diversity?: number | null;
  @ArrayMaxSize(20)
  @Field(() => [String], { nullable: true })
  sourceOrder?: string[] | null;
  @Field(() => Boolean, { nullable: true }) trendingOnly?: boolean | null;
}

@InputType()
export class ExperimentVariantInput {
  @MinLength(1)
  @MaxLength(64)
  @Field()
  name!: string;
  @IsPositive()
  @Field(() => Float, { description: 'Relative share of users (weights need not sum to 1).' })
  weight!: number;
  @ValidateNested()
  @Field(() => ExperimentStrategyInput)
  strategy!: ExperimentStrategyInput;
}

@InputType()
export class CreateExperimentInput {
  @MinLength(1)
  @MaxLength(200)
  @Field()
  name!: string;
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Field(() => [ExperimentVariantInput], { description: 'The first is the control.' })
  variants!: ExperimentVariantInput[];
  @Field(() => [ID], { nullable: true, description: 'Only members of these segments take part; absent: every user.' }) segmentIds?: string[] | null;
  @Field(() => DateTime, { nullable: true, description: 'Default: now.' }) start?: Date | null;
  @Field(() => DateTime) end!: Date;
}
