import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { CopySource } from '../copy/copy.type';
import { PartnerCopyInput } from './partner-copy.input';
import { PartnerCopyResult } from './partner-copy.type';
import { partnerOf } from './partner.resolver';

@Resolver()
export class PartnerCopyResolver {
  @Authorized('partner')
  @Mutation(() => PartnerCopyResult, {
    description:
      'Marketing copy about a product of your program for one of your members (or a segment), each variant with a tracking link for that member. ' +
      'A product outside your program gets NOT_FOUND; a memberRef you do not share gets error UNKNOWN_MEMBER. SERVICE_UNAVAILABLE when too many requests wait for the model.',
  })
  async generateCopy(@Arg('input', () => PartnerCopyInput) input: PartnerCopyInput, @Ctx() ctx: Context): Promise<PartnerCopyResult> {
    const result = await ctx.services.partnerCopy.generate({ ...input, partnerId: partnerOf(ctx) });
    return { ...result, variants: result.variants.map((v) => ({ ...v, source: v.source as CopySource })) };
  }
}
