import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';

import type { InteractionType } from '../../domain/records';
import { NotFoundError } from '../../errors';
import { toConnection } from '../common/connection';
import { ConnectionArgs } from '../common/list.args';
import { InteractionTypeEnum } from '../common/scalars';
import { selectionOf } from '../common/selection';
import type { UsersAhead } from '../../services/user.service';
import { InteractionConnection } from '../interaction/interaction.type';
import { UserInput } from './user.input';
import { User } from './user.type';

/** What is selected below a user that can be read with it: the `interactions` page (its first alias), the segment. */
function usersAhead(info: GraphQLResolveInfo): UsersAhead {
  const selection = selectionOf(info);
  const interactions = selection.child('interactions');
  const args = interactions.firstArgs();
  // Read ahead only with a page size the field's own validation would accept; otherwise the field
  // resolver runs and its validated args answer BAD_USER_INPUT with the usual message.
  const valid = args !== null && (args.first == null || (typeof args.first === 'number' && args.first >= 0));
  return {
    interactions: valid ? {
      first: args.first as number | null | undefined,
      after: args.after as string | null | undefined,
      types: args.types as InteractionType[] | null | undefined,
      totalCount: interactions.has('totalCount'),
    } : null,
    segment: selection.has('segment') || selection.child('profile').has('segment'),
  };
}

@Resolver(() => User)
export class UserResolver {
  @Authorized('frontend', 'analyst')
  @Query(() => User, { description: 'A user by id; NOT_FOUND if unknown. Frontend, analyst or admin.' })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<User> {
    const [user] = await ctx.services.users.users(ctx.loaders, [id], usersAhead(info));
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  @Authorized('frontend', 'analyst')
  @Query(() => [User], { description: 'Users by id, in the order asked; unknown ids are left out. At most 100.' })
  async users(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<User[]> {
    const users = await ctx.services.users.users(ctx.loaders, ids.slice(0, 100), usersAhead(info));
    return users.filter((u): u is User => u !== null);
  }

  @FieldResolver(() => InteractionConnection, { description: "The user's events, newest first." })
  async interactions(
    @Root() user: User,
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) { first, after }: ConnectionArgs,
    @Arg('types', () => [InteractionTypeEnum], { nullable: true }) types?: InteractionType[] | null,
  ): Promise<InteractionConnection> {
    const page = await ctx.services.users.interactions(ctx.loaders, user.id, { first, after, types });
    return toConnection(page, (row) => ({ ...row, userId: user.id }));
  }

  @Authorized('admin')
  @Mutation(() => Int, { description: 'Creates or updates users; returns how many were written. Admin only.' })
  async upsertUsers(@Arg('users', () => [UserInput]) users: UserInput[], @Ctx() ctx: Context): Promise<number> {
    return ctx.services.catalog.upsertUsers(
      users.map((u) => ({ id: u.id, createdAt: u.createdAt ?? undefined, country: u.country ?? undefined })),
    );
  }
}
