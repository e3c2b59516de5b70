import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';

@InputType()
export class PriceRange {
  @Field(() => Float, { nullable: true }) min?: number | null;
  @Field(() => Float, { nullable: true }) max?: number | null;
}

@InputType({ description: 'Narrows recommendations; all given conditions hold.' })
export class RecommendationFilterInput {
  @Field(() => [ID], { nullable: true, description: 'In any of these categories or their subcategories.' }) categories?: string[] | null;
  @Field(() => PriceRange, { nullable: true }) priceRange?: PriceRange | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) inStockOnly?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Leave out products the user already interacted with.' })
  excludeInteracted?: boolean | null;
}

/** The arguments `user.recommendations` and `recommendations(userId)` share. */
@ArgsType()
export class RecommendationArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => RecommendationFilterInput, { nullable: true }) filter?: RecommendationFilterInput | null;
  @Field(() => Float, { nullable: true, defaultValue: 0, description: 'diversity 0..1 re-ranks by maximal marginal relevance (0 = pure relevance).' })
  diversity?: number | null;
}
