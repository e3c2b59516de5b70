import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { MemberLinkInput, ProgramTermsInput, RegisterPartnerInput } from './partner.input';
import { MemberLinkResult, RegisteredPartner } from './partner.type';
import { toProgramTerms } from './program-terms';
import { ProgramTerms } from './program.type';

/** Admin operations on partners, programs and shared members. */
@Resolver()
export class PartnerAdminResolver {
  @Authorized('admin')
  @Mutation(() => RegisteredPartner, { description: 'Creates a partner, its first partner-role API key and program version 1 (admin).' })
  async registerPartner(@Arg('input', () => RegisterPartnerInput) input: RegisterPartnerInput, @Ctx() ctx: Context): Promise<RegisteredPartner> {
    const registered = await ctx.services.partners.register(input);
    return { ...registered, program: toProgramTerms(registered.program) };
  }

  @Authorized('admin')
  @Mutation(() => ProgramTerms, { description: 'Publishes a new version of the partner program, in force from now (admin).' })
  async updateProgram(
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('program', () => ProgramTermsInput) program: ProgramTermsInput,
    @Ctx() ctx: Context,
  ): Promise<ProgramTerms> {
    return toProgramTerms(await ctx.services.partners.updateProgram(partnerId, program));
  }

  @Authorized('admin')
  @Mutation(() => [MemberLinkResult], { description: 'Shares members with a partner under its memberRefs (admin; at most PARTNER_MAX_LINK_BATCH=1000 per call).' })
  async linkMembers(
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('links', () => [MemberLinkInput]) links: MemberLinkInput[],
    @Ctx() ctx: Context,
  ): Promise<MemberLinkResult[]> {
    return ctx.services.partners.link(partnerId, links);
  }

  @Authorized('admin')
  @Mutation(() => Int, { description: 'Revokes members at once on every replica; returns how many links were removed (admin).' })
  async unlinkMembers(
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('memberRefs', () => [ID]) memberRefs: string[],
    @Ctx() ctx: Context,
  ): Promise<number> {
    return ctx.services.partners.unlink(partnerId, memberRefs);
  }
}
