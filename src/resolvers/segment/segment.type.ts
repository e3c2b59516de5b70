import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Category } from '../category/category.type';
import { Connection } from '../common/connection';
import { Product } from '../product/product.type';
import { User } from '../user/user.type';

@ObjectType({
  description:
    'A cluster of users found by `affinity segment`: k-means on the active model version\'s GAT user embeddings plus standardized RFM (log recency, frequency, monetary), with k chosen by silhouette. Only the latest run is visible.',
})
export class Segment {
  @Field(() => ID) id!: string;
  @Field({ description: 'Readable name from the members\' mean RFM quintiles ("lapsed", "new", "occasional", "frequent") and their most distinctive category (highest lift among their five largest).' })
  label!: string;
  @Field(() => Int, { description: 'Number of members.' }) size!: number;
  @Field(() => ID, { description: 'The model version whose embeddings were clustered.' }) modelVersion!: string;
  @Field({ description: 'ISO-8601 instant of the run.' }) createdAt!: string;
  topCategoryIds!: string[];
  topCategoryShares!: number[];
  topProductIds!: string[];
  topProductCounts!: number[];
  k!: number;
  silhouette!: number;
  avgRecencyDays!: number | null;
  avgFrequency!: number;
  avgMonetary!: number;
  avgRfmScore!: number | null;
  monetaryIsCount!: boolean;
  runId!: string;
}

@ObjectType({ description: 'A category and its share of the members\' interest.' })
export class CategoryShare {
  @Field(() => Category) category!: Category;
  @Field(() => Float, { description: 'Mean over members of the category\'s share of their time-decayed event weight (0..1).' })
  share!: number;
}

@ObjectType({ description: 'A product and how many members interacted with it.' })
export class SegmentProduct {
  @Field(() => Product) product!: Product;
  @Field(() => Int, { description: 'Members with at least one event on the product.' }) members!: number;
}

@ObjectType({ description: 'Averages over the members at the time of the run (see UserProfile.rfm for the definitions).' })
export class SegmentStats {
  @Field(() => Float, { nullable: true, description: 'Mean days from a member\'s last event to the latest event in the data.' })
  avgRecencyDays!: number | null;
  @Field(() => Float, { description: 'Mean number of conversion events (PURCHASE; RATE when the data has no purchases).' }) avgFrequency!: number;
  @Field(() => Float, { description: 'Mean spend on conversions; the mean conversion count when `monetaryIsCount`.' }) avgMonetary!: number;
  @Field({ description: 'True when the data has no prices (MovieLens), so monetary counts conversions.' }) monetaryIsCount!: boolean;
  @Field(() => Float, { nullable: true, description: 'Mean RFM score (mean of the three quintiles, 1..5).' }) avgRfmScore!: number | null;
  @Field(() => Int, { description: 'The k chosen for the run.' }) k!: number;
  @Field(() => Float, { description: 'Mean silhouette of the run\'s clustering (sampled for large user bases), -1..1.' }) silhouette!: number;
}

@ObjectType()
export class UserConnection extends Connection('User', User) {}
