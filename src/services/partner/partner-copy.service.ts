/**
 * generateCopy for partners: copy about a product of the partner's program, for one of its members
 * (by memberRef) or for a segment, each variant with a tracking link for that member and product
 * (GET /r/<token> records the click as for partner recommendations). A product the program does not
 * allow (not allowed, denied, out of stock) gets the same NOT_FOUND as a product that does not exist,
 * so the operation tells nothing of the catalogue beyond the program. A memberRef the partner does not
 * share gets UNKNOWN_MEMBER, as in partnerRecommendations. The link names a member, so one is always
 * needed; `segmentId` only chooses whom the text is written for.
 */
import { randomBytes } from 'node:crypto';
import { BadInputError, NotFoundError } from '../../errors';
import type { CheckResult, Channel, Fact, Locale, Tone } from '../copy/copy-types';
import type { CopyService } from '../copy/copy.service';
import { linkReserve, withLink } from './copy-link';
import { UNKNOWN_MEMBER } from './partner-recommendation.service';
import type { PartnerService } from './partner.service';
import type { ProgramFilter } from './program-filter';
import type { TrackingLinks } from './tracking-link';

export interface PartnerCopyRequest {
  partnerId: string;
  productId: string;
  memberRef: string;
  /** Write for this segment instead of the member (the link still names the member). */
  segmentId?: string | null;
  channel: Channel;
  tone: Tone;
  locale: Locale;
  variants: number;
}

export interface PartnerCopyVariant {
  /** The text as sent: with the link where the channel carries one. */
  text: string;
  link: string;
  source: 'MODEL' | 'TEMPLATE';
  factsUsed: Fact[];
  checks: CheckResult[];
  score: number;
  model: string | null;
}

export interface PartnerCopy {
  memberRef: string;
  productId: string;
  channel: Channel;
  mode: string;
  fallbackReason: string | null;
  variants: PartnerCopyVariant[];
  error: { code: 'UNKNOWN_MEMBER'; message: string } | null;
}

export interface PartnerCopyDeps {
  partners: PartnerService;
  programFilter: ProgramFilter;
  copy: CopyService;
  links: TrackingLinks;
  publicBaseUrl: string;
}

export class PartnerCopyService {
  constructor(private readonly deps: PartnerCopyDeps) {}

  async generate(request: PartnerCopyRequest): Promise<PartnerCopy> {
    const { partnerId, productId, memberRef } = request;
    if (!memberRef) throw new BadInputError('memberRef is required: the tracking link names the member.', { fields: ['memberRef'] });
    const program = await this.deps.partners.currentProgram(partnerId);
    const [allowed, members] = await Promise.all([this.deps.programFilter.allowed(program, [productId]), this.deps.partners.resolveMembers(partnerId, [memberRef])]);
    // The very error an unknown product gets (AudienceReader.product).
    if (allowed.length === 0) throw new NotFoundError('Product', productId);
    const userId = members.get(memberRef);
    const base = { memberRef, productId, channel: request.channel };
    if (!userId) return { ...base, mode: 'NONE', fallbackReason: null, variants: [], error: UNKNOWN_MEMBER };
    // One link per answer: every variant is the same offer to the same member.
    const token = this.deps.links.seal({ partnerId, userId, productId, recommendationId: `copy_${randomBytes(9).toString('base64url')}`, expiresAt: Date.now() + program.clickLifetimeS * 1000 });
    const link = `${this.deps.publicBaseUrl}/r/${token}`;
    const result = await this.deps.copy.generate({
      productId,
      segmentId: request.segmentId ?? null,
      userId: request.segmentId ? null : userId,
      channel: request.channel,
      tone: request.tone,
      locale: request.locale,
      variants: request.variants,
      reservedLength: linkReserve(request.channel, link),
    });
    return {
      ...base,
      mode: result.mode,
      fallbackReason: result.fallbackReason,
      error: null,
      variants: result.variants.map((v) => ({
        text: withLink(v.text, request.channel, link),
        link,
        source: v.source,
        factsUsed: v.factsUsed,
        // A failed personal-data check names what it found (the member's internal id): the partner gets the verdict only.
        checks: v.checks.map((c) => (c.check === 'PERSONAL_DATA' && !c.passed ? { ...c, detail: 'personal data' } : c)),
        score: v.score,
        model: v.model,
      })),
    };
  }
}
