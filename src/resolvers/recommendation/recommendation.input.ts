import { Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { AtLeast, NotLessThan } from '../common/validators';

@InputType()
export class PriceRange {
  @Field(() => Float, { nullable: true }) min?: number | null;
  @NotLessThan('min')
  @Field(() => Float, { nullable: true })
  max?: number | null;
}

@InputType({ description: 'Narrows recommendations; all given conditions hold.' })
export class RecommendationFilterInput {
  @Field(() => [ID], { nullable: true, description: 'In any of these categories or their subcategories.' }) categories?: string[] | null;
  @ValidateNested()
  @Field(() => PriceRange, { nullable: true })
  priceRange?: PriceRange | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) inStockOnly?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Leave out products the user already interacted with.' })
  excludeInteracted?: boolean | null;
}

/** The arguments `user.recommendations` and `recommendations(userId)` share. */
@ArgsType()
export class RecommendationArgs {
  // The upper bound is GRAPHQL_MAX_PAGE_SIZE, configuration, so the service checks it (pageSize()).
  @AtLeast(0)
  @Field(() => Int, { nullable: true })
  first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @ValidateNested()
  @Field(() => RecommendationFilterInput, { nullable: true })
  filter?: RecommendationFilterInput | null;
  @Min(0)
  @Max(1)
  @Field(() => Float, { nullable: true, defaultValue: 0, description: 'diversity 0..1 re-ranks by maximal marginal relevance (0 = pure relevance).' })
  diversity?: number | null;
}

/** Arguments of `search`. */
@ArgsType()
export class SearchArgs {
  @Matches(/\S/, { message: '$property must not be empty' })
  @MaxLength(1000)
  @Field(() => String)
  text!: string;
  @AtLeast(1)
  @Field(() => Int, { defaultValue: 10 })
  first!: number;
}
