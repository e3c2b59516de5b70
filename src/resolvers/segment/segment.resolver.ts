import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';

import { Category } from '../category/category.type';
import { toConnection } from '../common/connection';
import { ConnectionArgs, FirstArgs } from '../common/list.args';
import { Product } from '../product/product.type';
import { User } from '../user/user.type';
import { CategoryShare, Segment, SegmentProduct, SegmentStats, UserConnection } from './segment.type';

// Created at load time: type-graphql reads args classes when the schema is built.
const FirstFive = FirstArgs(5);
const FirstTen = FirstArgs(10);

@Resolver(() => Segment)
export class SegmentResolver {
  @Authorized('analyst')
  @Query(() => [Segment], {
    description: 'Current segments, largest first: of `modelVersion` if given, else of the active model version (or the latest run when it has none). Analyst or admin.',
  })
  async segments(@Ctx() ctx: Context, @Arg('modelVersion', () => ID, { nullable: true }) modelVersion?: string | null): Promise<Segment[]> {
    return ctx.services.segments.list(modelVersion);
  }

  @Authorized('analyst')
  @Query(() => Segment, { description: 'A current segment by id; NOT_FOUND if unknown or replaced by a newer run. Analyst or admin.' })
  async segment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Segment> {
    return ctx.services.segments.get(ctx.loaders, id);
  }

  @FieldResolver(() => [CategoryShare], { description: 'Categories with the largest mean share of the members\' interest.' })
  async topCategories(@Root() segment: Segment, @Ctx() ctx: Context, @Args(() => FirstFive) { first }: { first: number }): Promise<CategoryShare[]> {
    const ids = segment.topCategoryIds.slice(0, Math.max(0, first));
    const categories = await ctx.loaders.category.loadMany(ids);
    return ids.flatMap((_, i) => {
      const category = categories[i];
      return category && !(category instanceof Error) ? [{ category: category as Category, share: segment.topCategoryShares[i] }] : [];
    });
  }

  @FieldResolver(() => [SegmentProduct], { description: 'Products the most members interacted with (at most 50 are kept per run).' })
  async topProducts(@Root() segment: Segment, @Ctx() ctx: Context, @Args(() => FirstTen) { first }: { first: number }): Promise<SegmentProduct[]> {
    const ids = segment.topProductIds.slice(0, Math.max(0, first));
    const products = await ctx.loaders.product.loadMany(ids);
    return ids.flatMap((_, i) => {
      const product = products[i];
      return product && !(product instanceof Error) ? [{ product: product as Product, members: segment.topProductCounts[i] }] : [];
    });
  }

  @Authorized('analyst')
  @FieldResolver(() => UserConnection, { description: 'The members, ordered by user id. Analyst or admin.' })
  async members(
    @Root() segment: Segment,
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) { first, after }: ConnectionArgs,
  ): Promise<UserConnection> {
    const page = await ctx.services.segments.members(segment, { first, after });
    const users = await ctx.loaders.user.loadMany(page.items.map((item) => item.node));
    const byId = new Map(users.flatMap((u) => (u && !(u instanceof Error) ? [[u.id, u] as const] : [])));
    return toConnection(page, (id) => byId.get(id) ?? { id, createdAt: null, country: null });
  }

  @FieldResolver(() => SegmentStats, { description: 'RFM averages and clustering quality of the run.' })
  stats(@Root() segment: Segment): SegmentStats {
    return {
      avgRecencyDays: segment.avgRecencyDays,
      avgFrequency: segment.avgFrequency,
      avgMonetary: segment.avgMonetary,
      monetaryIsCount: segment.monetaryIsCount,
      avgRfmScore: segment.avgRfmScore,
      k: segment.k,
      silhouette: segment.silhouette,
    };
  }
}

@Resolver(() => User)
export class UserSegmentResolver {
  @Authorized('analyst')
  @FieldResolver(() => Segment, { nullable: true, description: 'The user\'s current segment (of the active model version first). Analyst or admin; frontends read `profile.segment`.' })
  async segment(@Root() user: User, @Ctx() ctx: Context): Promise<Segment | null> {
    return ctx.loaders.segmentOfUser.load(user.id);
  }
}
