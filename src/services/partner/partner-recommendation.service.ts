/**
 * partnerRecommendations: for each memberRef the calling partner shares, the recommendation
 * pipeline's page with the partner's program as one more filter stage, each item with a tracking
 * link. Members are resolved in Neo4j on every call (revocation counts at once on every replica);
 * unknown and unshared refs take the same path and get the same error. Nothing a partner reads
 * carries an internal id: the user and the recommendationId travel only inside sealed link tokens.
 */
import { BadInputError } from '../../errors';
import type { ProductRow } from '../../repositories/product.repository';
import type { RecommendationService } from '../recommendation/recommendation.service';
import type { PartnerService } from './partner.service';
import type { ProgramFilter } from './program-filter';
import type { ServedCounter } from './served-counter';
import type { TrackingLinks } from './tracking-link';

export interface PartnerRecommendationFilter {
  categoryIds?: string[] | null;
  minPrice?: number | null;
  maxPrice?: number | null;
}

export interface PartnerItem {
  product: ProductRow | null;
  productId: string;
  score: number;
  trackingUrl: string;
}

export interface MemberRecommendations {
  memberRef: string;
  items: PartnerItem[];
  /** Set instead of items for a memberRef the partner does not share (or that does not exist: the same answer). */
  error: { code: 'UNKNOWN_MEMBER'; message: string } | null;
}

export const UNKNOWN_MEMBER = { code: 'UNKNOWN_MEMBER', message: 'No member shared with this partner has this memberRef.' } as const;

export interface PartnerRecommendationDeps {
  partners: PartnerService;
  programFilter: ProgramFilter;
  recommendations: RecommendationService;
  links: TrackingLinks;
  served: ServedCounter;
  maxMemberRefs: number;
  publicBaseUrl: string;
}

export class PartnerRecommendationService {
  constructor(private readonly deps: PartnerRecommendationDeps) {}

  async recommend(args: { partnerId: string; memberRefs: string[]; first?: number | null; filter?: PartnerRecommendationFilter | null }): Promise<MemberRecommendations[]> {
    const { partnerId } = args;
    const refs = [...new Set(args.memberRefs)];
    if (refs.length > this.deps.maxMemberRefs) {
      throw new BadInputError(`At most ${this.deps.maxMemberRefs} memberRefs per call (got ${refs.length})`, { fields: ['memberRefs'] });
    }
    const program = await this.deps.partners.currentProgram(partnerId);
    const [stage, categoryIds, members] = await Promise.all([
      this.deps.programFilter.stage(program),
      args.filter?.categoryIds && args.filter.categoryIds.length > 0 ? this.deps.partners.categoryClosure(args.filter.categoryIds) : Promise.resolve(null),
      this.deps.partners.resolveMembers(partnerId, refs),
    ]);
    const expiresAt = Date.now() + program.clickLifetimeS * 1000;
    const answers = await Promise.all(
      refs.map(async (memberRef): Promise<MemberRecommendations> => {
        const userId = members.get(memberRef);
        if (!userId) return { memberRef, items: [], error: UNKNOWN_MEMBER };
        const page = await this.deps.recommendations.recommend({
          userId,
          first: args.first,
          filter: { categoryIds, minPrice: args.filter?.minPrice ?? null, maxPrice: args.filter?.maxPrice ?? null, excludeInteracted: true },
          stages: [stage],
        });
        return {
          memberRef,
          error: null,
          items: page.items.map((item) => ({
            productId: item.productId,
            product: item.product,
            score: item.score,
            trackingUrl: `${this.deps.publicBaseUrl}/r/${this.deps.links.seal({ partnerId, userId, productId: item.productId, recommendationId: page.recommendationId, expiresAt })}`,
          })),
        };
      }),
    );
    this.deps.served.add(
      partnerId,
      answers.flatMap((a) => a.items.map((i) => i.productId)),
    );
    return args.memberRefs.map((ref) => answers.find((a) => a.memberRef === ref) ?? { memberRef: ref, items: [], error: UNKNOWN_MEMBER });
  }
}
