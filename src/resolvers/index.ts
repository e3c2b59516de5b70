import { ExplorationResolver, CoPurchaseItemResolver } from './exploration/exploration.resolver';
import { CategoryResolver } from './category/category.resolver';
import { InteractionResolver } from './interaction/interaction.resolver';
import { ProductResolver } from './product/product.resolver';
import { ProfileResolver, UserProfileResolver } from './profile/profile.resolver';
import { ProductDiscoveryResolver, RecommendationQueryResolver, UserRecommendationResolver } from './recommendation/recommendation.resolver';
import { SegmentResolver, UserSegmentResolver } from './segment/segment.resolver';
import { UserResolver } from './user/user.resolver';
import { CopyResolver } from './copy/copy.resolver';
import { PartnerAdminResolver } from './partner/partner-admin.resolver';
import { PartnerResolver } from './partner/partner.resolver';
import { ConversionResolver } from './partner/conversion.resolver';
import { PartnerAnalyticsResolver, PartnerReportResolver } from './partner/report.resolver';
import { ExperimentResolver } from './experiment/experiment.resolver';
import { CampaignResolver } from './campaign/campaign.resolver';
import { PartnerCopyResolver } from './partner/partner-copy.resolver';

export const resolvers = [UserResolver, ProductResolver, CategoryResolver, InteractionResolver, ExplorationResolver, CoPurchaseItemResolver, UserRecommendationResolver, ProductDiscoveryResolver, RecommendationQueryResolver, SegmentResolver, UserSegmentResolver, UserProfileResolver, ProfileResolver, CopyResolver, PartnerAdminResolver, ConversionResolver, PartnerAnalyticsResolver, ExperimentResolver, CampaignResolver] as const;

/** The partner schema's resolvers: partner keys see these operations and their types only. */
export const partnerResolvers = [PartnerResolver, PartnerReportResolver, PartnerCopyResolver] as const;
