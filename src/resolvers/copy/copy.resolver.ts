import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { AssistantArgs, GenerateCopyInput } from './copy.input';
import { AssistantAnswer, CopyResult, CopySource } from './copy.type';

@Resolver()
export class CopyResolver {
  // Partners ask through the partner schema (PartnerCopyResolver): their products, their tracking link.
  @Authorized('frontend', 'analyst')
  @Mutation(() => CopyResult, {
    description:
      'Marketing copy for a product aimed at a segment or a user, per channel, tone and locale. Variants are written by the language model under the guardrails, or by the template engine when the model is absent, fails, times out or keeps failing them. Frontend, analyst or admin. SERVICE_UNAVAILABLE when too many requests wait for the model.',
  })
  async generateCopy(@Arg('input', () => GenerateCopyInput) input: GenerateCopyInput, @Ctx() ctx: Context): Promise<CopyResult> {
    const result = await ctx.services.copy.generate(input);
    return {
      ...result,
      audience: `${result.audience.kind}:${result.audience.id}`,
      variants: result.variants.map((v) => ({ ...v, source: v.source as CopySource })),
    };
  }

  @Authorized('frontend', 'analyst')
  @Query(() => AssistantAnswer, {
    description: "A shopper's question answered from the catalogue only: cites products found by semantic search, says it does not know otherwise. Frontend, analyst or admin.",
  })
  async assistant(@Args(() => AssistantArgs) args: AssistantArgs, @Ctx() ctx: Context): Promise<AssistantAnswer> {
    const answer = await ctx.services.assistant.ask(args);
    return { ...answer, source: answer.source as CopySource };
  }
}
