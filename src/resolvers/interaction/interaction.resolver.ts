import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError } from '../../errors';
import { DateTime } from '../common/scalars';
import { Product } from '../product/product.type';
import { productSelection } from '../product/product-selection';
import { selectionOf } from '../common/selection';
import { InteractionInput } from './interaction.input';
import { EventStatus, Interaction, RecordInteractionsResult } from './interaction.type';

@Resolver(() => Interaction)
export class InteractionResolver {
  @FieldResolver(() => DateTime)
  at(@Root() interaction: Interaction): Date {
    return new Date(interaction.at);
  }

  @FieldResolver(() => Product)
  async product(@Root() interaction: Interaction, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Product> {
    const product = await ctx.loaders.productsWith(productSelection(selectionOf(info))).load(interaction.productId);
    if (!product) throw new NotFoundError('Product', interaction.productId);
    return product;
  }

  @Authorized('frontend')
  @Mutation(() => RecordInteractionsResult, {
    description: 'Records a batch of events (at most MAX_EVENT_BATCH). Idempotent by eventId. Needs the frontend or admin role.',
  })
  async recordInteractions(
    @Arg('events', () => [InteractionInput]) events: InteractionInput[],
    @Ctx() ctx: Context,
  ): Promise<RecordInteractionsResult> {
    const outcome = await ctx.services.interactions.record(
      events.map((e) => ({ ...e, at: e.at ? e.at.getTime() : null })),
    );
    return { ...outcome, results: outcome.results.map((r) => ({ ...r, status: r.status as EventStatus })) };
  }
}
