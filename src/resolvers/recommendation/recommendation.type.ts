import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ReasonKind, RecommendationStrategy } from '../../services/recommendation/types';
import { PageInfo } from '../common/page-info.type';
import { ExperimentAssignment } from '../experiment/experiment.type';
import { CatalogueCacheHint } from '../../graphql/cache-hints';
import { Product } from '../product/product.type';

const ReasonKindEnum = { SIMILAR_TO_INTERACTED: 'SIMILAR_TO_INTERACTED', POPULAR: 'POPULAR', MATCHES_PROFILE: 'MATCHES_PROFILE' } as const;
registerEnumType(ReasonKindEnum, {
  name: 'RecommendationReasonKind',
  description:
    "SIMILAR_TO_INTERACTED: close in the model's space to something the user interacted with (productId names it). " +
    'POPULAR: among the most interacted products of the last 30 days. MATCHES_PROFILE: fits the user overall.',
});

const StrategyEnum = { MODEL: 'MODEL', FOLD_IN: 'FOLD_IN', TRENDING: 'TRENDING' } as const;
registerEnumType(StrategyEnum, {
  name: 'RecommendationStrategy',
  description:
    "MODEL: the user's published GAT embedding. FOLD_IN: the user acted after training (or is new to the model), " +
    'so their vector was computed now from their latest events. TRENDING: cold start, the user has no events yet.',
});

@ObjectType({ description: 'Why a product was recommended, in words a person can show.' })
export class RecommendationReason {
  @Field(() => ReasonKindEnum) kind!: ReasonKind;
  @Field() text!: string;
  @Field(() => ID, { nullable: true, description: 'The product the reason refers to, if any.' }) productId!: string | null;
}

@ObjectType()
export class RecommendationEdge {
  @Field(() => Product) node!: Product;
  @Field() cursor!: string;
  @Field(() => Float, { description: 'Relevance: cosine similarity in the model space (or normalised popularity for TRENDING).' })
  score!: number;
  @Field(() => [RecommendationReason]) reasons!: RecommendationReason[];
}

@ObjectType({ description: 'A page of personal recommendations.' })
export class RecommendationConnection {
  @Field(() => [RecommendationEdge]) edges!: RecommendationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => ID, { description: 'Cite it as `recommendationId` on the events this response leads to (attribution).' })
  recommendationId!: string;
  @Field(() => StrategyEnum) strategy!: RecommendationStrategy;
  @Field(() => String, { nullable: true, description: 'The model version that produced the ranking.' }) modelVersion!: string | null;
  @Field(() => ExperimentAssignment, { nullable: true, description: 'The experiment variant that served this page (also carried in recommendationId), or null.' })
  experiment!: ExperimentAssignment | null;
}

// similar, alsoBought and search: the same for every caller.
@CatalogueCacheHint()
@ObjectType({ description: 'A product with a relevance score.' })
export class ScoredProduct {
  @Field(() => Product) product!: Product;
  @Field(() => Float) score!: number;
}
