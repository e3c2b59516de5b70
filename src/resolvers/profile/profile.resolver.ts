import type { GraphQLResolveInfo } from 'graphql';
import { Args, Authorized, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';

import type { InteractionType } from '../../domain/records';
import type { UserProfileData } from '../../services/profile.service';
import { Category } from '../category/category.type';
import { FirstArgs } from '../common/list.args';
import { selectionOf } from '../common/selection';
import { User } from '../user/user.type';
import { CategoryAffinity, CategoryProbability, SegmentRef, TextInterest, UserProfile } from './profile.type';

// Created at load time: type-graphql reads args classes when the schema is built.
const FirstTen = FirstArgs(10);
const FirstThree = FirstArgs(3);

function toProfile(data: UserProfileData): UserProfile {
  return {
    userId: data.userId,
    referenceTime: new Date(data.referenceTime),
    rfm: {
      recency: data.rfm.recencyDays,
      frequency: data.rfm.frequency,
      monetary: data.rfm.monetary,
      monetaryIsCount: data.rfm.monetaryIsCount,
      conversionTypes: data.rfm.conversionTypes,
      score: data.rfm.score?.score ?? null,
      code: data.rfm.score?.code ?? null,
    },
    purchasePropensity: data.purchasePropensity,
    propensityWindowDays: data.propensityWindowDays,
    activity: {
      lastSeen: data.activity.lastSeen === null ? null : new Date(data.activity.lastSeen),
      totalEvents: data.activity.totalEvents,
      eventsByType: data.activity.eventsByType.map((e) => ({ type: e.type as InteractionType, count: e.count })),
    },
    data,
  };
}

async function withCategories<T extends { categoryId: string }>(ctx: Context, rows: T[]): Promise<(T & { category: Category })[]> {
  const categories = await ctx.loaders.category.loadMany(rows.map((r) => r.categoryId));
  return rows.flatMap((row, i) => {
    const category = categories[i];
    return category && !(category instanceof Error) ? [{ ...row, category: category as Category }] : [];
  });
}

@Resolver(() => User)
export class UserProfileResolver {
  @Authorized('frontend', 'analyst')
  @FieldResolver(() => UserProfile, { description: 'Interests, RFM, segment, predictions and activity. Frontend, analyst or admin.' })
  async profile(@Root() user: User, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<UserProfile> {
    // The segment alone needs none of the user's events: they are read only for a field computed from them.
    const names = selectionOf(info).names();
    if ([...names].every((name) => name === 'segment' || name === '__typename')) return { userId: user.id } as UserProfile;
    return toProfile(await ctx.services.profiles.profile(user.id, await ctx.loaders.profileEvents.load(user.id)));
  }
}

@Resolver(() => UserProfile)
export class ProfileResolver {
  @FieldResolver(() => [TextInterest], {
    description:
      'Topics of what the user writes (reviews), heaviest first: review texts embedded by the sentence encoder, clustered by k-means and labelled by their most distinctive terms (`affinity topics`). Empty before a topics run or for users who wrote nothing.',
  })
  async textInterests(@Root() profile: UserProfile, @Ctx() ctx: Context): Promise<TextInterest[]> {
    return ctx.services.textTopics.interests(profile.data.userId);
  }

  @FieldResolver(() => [CategoryAffinity], { description: 'Categories by affinity, highest first.' })
  async interests(@Root() profile: UserProfile, @Ctx() ctx: Context, @Args(() => FirstTen) { first }: { first: number }): Promise<CategoryAffinity[]> {
    return withCategories(ctx, profile.data.interests.slice(0, Math.max(0, first)));
  }

  @FieldResolver(() => [CategoryProbability], {
    description:
      'Most likely categories of the user\'s next window of activity, highest first. Served by whichever predictor won on a validation window in `affinity segment` (see `affinity evaluate-profile`): a conditional logit over categories (the user\'s decayed shares, baseline ranks, recent and population shares, per-category corrections from activity) blended with the user\'s own decayed shares, or the baseline: the user\'s own decayed category shares as probabilities, unseen categories by popularity. Empty without a profile model or events.',
  })
  async predictedNextCategories(
    @Root() profile: UserProfile,
    @Ctx() ctx: Context,
    @Args(() => FirstThree) { first }: { first: number },
  ): Promise<CategoryProbability[]> {
    return withCategories(ctx, profile.data.nextCategories.slice(0, Math.max(0, first)));
  }

  @FieldResolver(() => SegmentRef, { nullable: true, description: 'The user\'s current segment (see Segment); null when not segmented.' })
  async segment(@Root() profile: UserProfile, @Ctx() ctx: Context): Promise<SegmentRef | null> {
    const segment = await ctx.loaders.segmentOfUser.load(profile.userId);
    return segment ? { id: segment.id, label: segment.label } : null;
  }
}
