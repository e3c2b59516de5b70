import { Max, Min, ArrayMaxSize, ValidateNested } from 'class-validator';
import { Args, ArgsType, Authorized, Ctx, Field, ID, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { ForbiddenError, NotFoundError } from '../../errors';
import { PartnerRecommendationFilterInput } from './partner.input';
import { MemberRecommendations, PartnerProduct } from './partner-recommendation.type';
import { toProgramTerms } from './program-terms';
import { ProgramTerms } from './program.type';

/** The calling partner: partner keys always name one (ApiKeyService refuses partner keys without). */
export function partnerOf(ctx: Context): string {
  const partnerId = ctx.principal?.partnerId;
  if (!partnerId) throw new ForbiddenError('Partner operations need a partner key.');
  return partnerId;
}

@ArgsType()
class PartnerRecommendationArgs {
  // The bound is PARTNER_MAX_MEMBER_REFS (configuration), checked by the service; this is a hard stop.
  @ArrayMaxSize(1000) @Field(() => [ID]) memberRefs!: string[];
  @Min(1) @Max(100) @Field(() => Int, { defaultValue: 10 }) first!: number;
  @ValidateNested() @Field(() => PartnerRecommendationFilterInput, { nullable: true }) filter?: PartnerRecommendationFilterInput | null;
}

/** The partner schema's queries: only what concerns the calling partner. */
@Resolver()
export class PartnerResolver {
  @Authorized('partner')
  @Query(() => [MemberRecommendations], {
    description:
      'For each of your members (by memberRef, at most PARTNER_MAX_MEMBER_REFS=50), recommendations within your program, each with a tracking link. ' +
      'A memberRef you do not share gets error UNKNOWN_MEMBER.',
  })
  async partnerRecommendations(@Args(() => PartnerRecommendationArgs) args: PartnerRecommendationArgs, @Ctx() ctx: Context): Promise<MemberRecommendations[]> {
    const answers = await ctx.services.partnerRecommendations.recommend({
      partnerId: partnerOf(ctx),
      memberRefs: args.memberRefs,
      first: args.first,
      filter: args.filter ? { categoryIds: args.filter.categories, minPrice: args.filter.minPrice, maxPrice: args.filter.maxPrice } : null,
    });
    return Promise.all(
      answers.map(async (a) => ({
        memberRef: a.memberRef,
        error: a.error,
        items: await Promise.all(
          a.items.map(async (item) => ({ product: await partnerProduct(ctx, item.productId, item.product), score: item.score, trackingUrl: item.trackingUrl })),
        ),
      })),
    );
  }

  @Authorized('partner')
  @Query(() => ProgramTerms, { description: 'The terms of your program in force now.' })
  async myProgram(@Ctx() ctx: Context): Promise<ProgramTerms> {
    return toProgramTerms(await ctx.services.partners.currentProgram(partnerOf(ctx)));
  }

  @Authorized('partner')
  @Query(() => ID, { description: 'Your partner id.' })
  partnerId(@Ctx() ctx: Context): string {
    return partnerOf(ctx);
  }
}

async function partnerProduct(ctx: Context, id: string, known: PartnerProduct | null): Promise<PartnerProduct> {
  const p = known ?? (await ctx.loaders.product.load(id));
  if (!p) throw new NotFoundError('Product', id);
  return { id: p.id, title: p.title, description: p.description, price: p.price, currency: p.currency, brand: p.brand };
}

