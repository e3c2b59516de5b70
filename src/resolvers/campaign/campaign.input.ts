import { ArrayMaxSize, ArrayMinSize, IsPositive, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import { DateTime } from '../common/scalars';

@InputType()
export class CreateCampaignInput {
  @MinLength(1)
  @MaxLength(200)
  @Field()
  name!: string;
  @ArrayMinSize(1)
  @Field(() => [ID])
  segmentIds!: string[];
  @Field(() => [ID], { nullable: true, description: 'Products to promote; absent: each member’s personal recommendations.' }) productIds?: string[] | null;
  @MinLength(1)
  @MaxLength(40)
  @Field()
  channel!: string;
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @MaxLength(2000, { each: true })
  @Field(() => [String], { description: 'Copy texts as the marketer gives them.' })
  copyVariants!: string[];
  @IsPositive()
  @Min(0.001)
  @Max(0.999)
  @Field(() => Float, { description: 'Share of members held out (get nothing), e.g. 0.1.' })
  holdoutShare!: number;
  @Field(() => DateTime, { nullable: true, description: 'Default: now.' }) start?: Date | null;
  @Field(() => DateTime) end!: Date;
}
