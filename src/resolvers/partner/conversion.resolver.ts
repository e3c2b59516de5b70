import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import type { ConversionRow } from '../../repositories/conversion.repository';
import { DateTime } from '../common/scalars';
import { Conversion, ConversionItemInput } from './conversion.type';

const toConversion = (row: ConversionRow): Conversion => ({ ...row, at: new Date(row.at), lockUntil: new Date(row.lockUntil) });

/** The shop's side of the affiliate loop: orders in, attribution and commission out. */
@Resolver()
export class ConversionResolver {
  @Authorized('frontend')
  @Mutation(() => Conversion, {
    description:
      "Records an order (the checkout calls it; frontend or admin). Idempotent by orderId. Attributed to the member's last partner click within " +
      'that program\'s window (or its first, for FIRST_CLICK programs); commission per item at the terms in force at that click.',
  })
  async recordConversion(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('items', () => [ConversionItemInput]) items: ConversionItemInput[],
    @Arg('at', () => DateTime, { nullable: true }) at: Date | null,
    @Ctx() ctx: Context,
  ): Promise<Conversion> {
    return toConversion(await ctx.services.conversions.record({ orderId, userId, items, at: at ? at.getTime() : null }));
  }

  @Authorized('frontend')
  @Mutation(() => Conversion, { description: 'Reverses an order (returns, fraud): status REVERSED, commission 0. Repeating it changes nothing.' })
  async reverseConversion(@Arg('orderId', () => ID) orderId: string, @Arg('reason') reason: string, @Ctx() ctx: Context): Promise<Conversion> {
    return toConversion(await ctx.services.conversions.reverse(orderId, reason));
  }

  @Authorized('admin')
  @Mutation(() => Int, { description: 'Approves PENDING conversions whose lock period ended by `asOf` (default now); returns how many (admin).' })
  async approveConversions(@Arg('asOf', () => DateTime, { nullable: true }) asOf: Date | null, @Ctx() ctx: Context): Promise<number> {
    return ctx.services.conversions.approveDue(asOf ? asOf.getTime() : Date.now());
  }
}
