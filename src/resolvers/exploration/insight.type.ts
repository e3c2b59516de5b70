import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Product } from '../product/product.type';

@ObjectType({ description: 'A segment as counted for an overlap.' })
export class OverlapSegment {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => String, { nullable: true, description: 'The model version the segmentation belongs to.' }) modelVersion!: string | null;
  @Field(() => Int, { description: 'Users with IN_SEGMENT to the segment (counted now, not the stored size).' }) members!: number;
}

@ObjectType({ description: 'How much two segments share.' })
export class SegmentPairOverlap {
  @Field(() => ID) a!: string;
  @Field(() => ID) b!: string;
  @Field(() => Int, { description: 'Users in both segments.' }) both!: number;
  @Field(() => Int, { description: 'Users in either segment.' }) union!: number;
  @Field(() => Float, { description: 'both / union (0 when both segments are empty).' }) jaccard!: number;
}

@ObjectType({ description: 'Member counts of the segments and the overlap of every pair of them.' })
export class SegmentOverlap {
  @Field(() => [OverlapSegment]) segments!: OverlapSegment[];
  @Field(() => [SegmentPairOverlap]) pairs!: SegmentPairOverlap[];
}

@ObjectType({ description: 'A count under a name (a label, a relationship type or an event type).' })
export class NamedCount {
  @Field() name!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Size of the graph.' })
export class GraphStats {
  @Field(() => [NamedCount], { description: 'Nodes by label.' }) labels!: NamedCount[];
  @Field(() => [NamedCount], { description: 'Relationships by type.' }) relationships!: NamedCount[];
  @Field(() => [NamedCount], { description: 'INTERACTED events by interaction type.' }) events!: NamedCount[];
  @Field(() => Float, { description: 'Interaction density: INTERACTED relationships / (users × products).' }) density!: number;
}

@ObjectType({ description: 'A product interacted with by users of another product.' })
export class CoPurchaseItem {
  @Field(() => ID) productId!: string;
  @Field(() => Product, { nullable: true, description: 'The co-interacted product (null if it was deleted meanwhile).' }) product?: Product | null;
  @Field(() => Int, { description: 'Sampled users of the queried product who also interacted with this one.' }) users!: number;
  @Field(() => Int, { description: 'Their events on this product (at most 500 per user are read).' }) events!: number;
  @Field(() => Float, { description: 'users / usersSampled.' }) share!: number;
}

@ObjectType({ description: 'What the users of a product also interacted with, most shared first.' })
export class CoPurchase {
  @Field(() => ID) productId!: string;
  @Field(() => Int, { description: 'Users of the product that were read (at most 2,000).' }) usersSampled!: number;
  @Field({ description: 'True when the product had more users than were sampled.' }) truncated!: boolean;
  @Field(() => [CoPurchaseItem]) items!: CoPurchaseItem[];
}

@ObjectType({ description: 'A user embedding projected to 2-D.' })
export class ScatterPoint {
  @Field(() => ID) userId!: string;
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
  @Field(() => ID, { nullable: true, description: 'The user’s segment in the model version, if segmented.' }) segmentId!: string | null;
  @Field(() => String, { nullable: true }) segmentLabel!: string | null;
}

@ObjectType({ description: 'User embeddings of a model version projected to their first two principal components.' })
export class SegmentScatter {
  @Field(() => ID, { nullable: true, description: 'The model version drawn; null when no version is active.' }) modelVersion!: string | null;
  @Field(() => [Float], { description: 'Share of the variance the x and y axes explain.' }) explainedVariance!: number[];
  @Field(() => [ScatterPoint]) points!: ScatterPoint[];
}
