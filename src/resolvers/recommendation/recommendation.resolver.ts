import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { ScoredProductRow } from '../../repositories/candidate.cypher';
import type { RecommendationPage } from '../../services/recommendation/types';
import { pageInfoOf } from '../common/connection';
import { FirstArgs } from '../common/list.args';
import { Product } from '../product/product.type';
import { User } from '../user/user.type';
import { RecommendationArgs, RecommendationFilterInput, SearchArgs } from './recommendation.input';
import { RecommendationConnection, ScoredProduct } from './recommendation.type';

// Created at load time: type-graphql reads args classes when the schema is built.
const FirstTen = FirstArgs(10);

async function toConnection(page: RecommendationPage, ctx: Context): Promise<RecommendationConnection> {
  // Candidates usually arrive with their product fields; only the rest are looked up.
  for (const item of page.items) if (item.product) ctx.loaders.product.prime(item.productId, item.product);
  const products = await ctx.loaders.product.loadMany(page.items.map((i) => i.productId));
  const edges = page.items.flatMap((item, i) => {
    const product = products[i];
    return product && !(product instanceof Error) ? [{ node: product, cursor: item.cursor, score: item.score, reasons: item.reasons }] : [];
  });
  return {
    edges,
    pageInfo: pageInfoOf(edges, page),
    recommendationId: page.recommendationId,
    strategy: page.strategy,
    modelVersion: page.modelVersion,
    experiment: page.experiment && { id: page.experiment.id, variant: page.experiment.variant, fallback: page.experiment.fallback },
  };
}

async function toScored(rows: ScoredProductRow[], ctx: Context): Promise<ScoredProduct[]> {
  const products = await ctx.loaders.product.loadMany(rows.map((r) => r.id));
  return rows.flatMap((r, i) => {
    const product = products[i];
    return product && !(product instanceof Error) ? [{ product, score: r.score }] : [];
  });
}

const RECOMMENDATION_ARGS_DOC = 'diversity 0..1 re-ranks by maximal marginal relevance (0 = pure relevance).';

@Resolver(() => User)
export class UserRecommendationResolver {
  @FieldResolver(() => RecommendationConnection, { description: `Personal recommendations for this user. ${RECOMMENDATION_ARGS_DOC}` })
  async recommendations(@Root() user: User, @Ctx() ctx: Context, @Args(() => RecommendationArgs) args: RecommendationArgs): Promise<RecommendationConnection> {
    return recommend(user.id, args, ctx);
  }
}

async function recommend(userId: string, args: RecommendationArgs, ctx: Context): Promise<RecommendationConnection> {
  const page = await ctx.services.recommendations.recommend({ userId, first: args.first, after: args.after, filter: toFilter(args.filter), diversity: args.diversity });
  return toConnection(page, ctx);
}

function toFilter(filter: RecommendationFilterInput | null | undefined) {
  return {
    categoryIds: filter?.categories ?? null,
    minPrice: filter?.priceRange?.min ?? null,
    maxPrice: filter?.priceRange?.max ?? null,
    inStockOnly: filter?.inStockOnly ?? false,
    excludeInteracted: filter?.excludeInteracted ?? true,
  };
}

@Resolver(() => Product)
export class ProductDiscoveryResolver {
  @FieldResolver(() => [ScoredProduct], { description: "Nearest products in the model's space (text space for products the model has not seen)." })
  async similar(@Root() product: Product, @Ctx() ctx: Context, @Args(() => FirstTen) { first }: { first: number }): Promise<ScoredProduct[]> {
    return toScored(await ctx.services.discovery.similar(product.id, Math.min(first, ctx.services.config.graphql.maxPageSize)), ctx);
  }

  @FieldResolver(() => [ScoredProduct], { description: 'Products most often taken by the users who took this one (score = number of such users).' })
  async alsoBought(@Root() product: Product, @Ctx() ctx: Context, @Args(() => FirstTen) { first }: { first: number }): Promise<ScoredProduct[]> {
    return toScored(await ctx.services.discovery.alsoBought(product.id, Math.min(first, ctx.services.config.graphql.maxPageSize)), ctx);
  }
}

@Resolver()
export class RecommendationQueryResolver {
  @Authorized('frontend', 'analyst')
  @Query(() => RecommendationConnection, {
    description: `Recommendations for a user id; an unknown or new user gets trending products (cold start). ${RECOMMENDATION_ARGS_DOC}`,
  })
  async recommendations(
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: Context,
    @Args(() => RecommendationArgs) args: RecommendationArgs,
  ): Promise<RecommendationConnection> {
    return recommend(userId, args, ctx);
  }

  @Authorized()
  @Query(() => [ScoredProduct], { description: 'Semantic search: products whose text means what the query means (transformer embeddings).' })
  async search(@Args(() => SearchArgs) { text, first }: SearchArgs, @Ctx() ctx: Context): Promise<ScoredProduct[]> {
    return toScored(await ctx.services.discovery.search(text, Math.min(first, ctx.services.config.graphql.maxPageSize)), ctx);
  }
}

