import { ExplorationResolver, CoPurchaseItemResolver } from './exploration/exploration.resolver';
import { CategoryResolver } from './category/category.resolver';
import { InteractionResolver } from './interaction/interaction.resolver';
import { ProductResolver } from './product/product.resolver';
import { ProfileResolver, UserProfileResolver } from './profile/profile.resolver';
import { ProductDiscoveryResolver, RecommendationQueryResolver, UserRecommendationResolver } from './recommendation/recommendation.resolver';
import { SegmentResolver, UserSegmentResolver } from './segment/segment.resolver';
import { UserResolver } from './user/user.resolver';
import { ExperimentResolver } from './experiment/experiment.resolver';
import { CampaignResolver } from './campaign/campaign.resolver';

export const resolvers = [UserResolver, ProductResolver, CategoryResolver, InteractionResolver, ExplorationResolver, CoPurchaseItemResolver, UserRecommendationResolver, ProductDiscoveryResolver, RecommendationQueryResolver, SegmentResolver, UserSegmentResolver, UserProfileResolver, ProfileResolver, ExperimentResolver, CampaignResolver] as const;
