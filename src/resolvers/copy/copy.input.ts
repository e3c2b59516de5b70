import { IsIn, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { CHANNELS, Channel, LOCALES, Locale, TONES, Tone } from '../../services/copy/copy-types';
import { MAX_VARIANTS } from '../../services/copy/copy.service';

export const ChannelEnum = Object.fromEntries(CHANNELS.map((c) => [c, c])) as { [K in Channel]: K };
export const ToneEnum = Object.fromEntries(TONES.map((t) => [t, t])) as { [K in Tone]: K };

registerEnumType(ChannelEnum, {
  name: 'CopyChannel',
  description: 'Where the copy goes: PUSH (title ≤ 50), SMS (≤ 160 GSM-7 characters, 70 otherwise), EMAIL_SUBJECT (≤ 78), EMAIL_BODY, SOCIAL (≤ 280).',
});
registerEnumType(ToneEnum, { name: 'CopyTone', description: 'The voice of the copy.' });

/**
 * The request both generateCopy mutations share (this one and the partner schema's PartnerCopyInput):
 * each field and its validation is declared once here. Not in any schema itself: GraphQL has no
 * input inheritance, so type-graphql copies these fields into each subclass's input type.
 */
@InputType('CopyRequestFields')
export abstract class CopyRequestFields {
  @MaxLength(200)
  @Field(() => ID, { description: 'The product to write about: NOT_FOUND when it does not exist or, for a partner, is not one its program allows (in stock, allowed, not denied).' })
  productId!: string;
  @MaxLength(200)
  @Field(() => ID, { nullable: true, description: 'Write for this segment (instead of the user, or the partner\'s member).' })
  segmentId?: string | null;
  @Field(() => ChannelEnum)
  channel!: Channel;
  @Field(() => ToneEnum, { defaultValue: 'FRIENDLY' })
  tone!: Tone;
  @IsIn(LOCALES as unknown as string[], { message: `$property must be one of: ${LOCALES.join(', ')}` })
  @Field(() => String, { defaultValue: 'en', description: `Language of the copy: ${LOCALES.join(', ')}.` })
  locale!: Locale;
  @Min(1)
  @Max(MAX_VARIANTS)
  @Field(() => Int, { defaultValue: 3 })
  variants!: number;
}

@InputType({ description: 'What to write: a product, for a segment or one user (exactly one), on a channel.' })
export class GenerateCopyInput extends CopyRequestFields {
  @MaxLength(200)
  @Field(() => ID, { nullable: true })
  userId?: string | null;
}

@ArgsType()
export class AssistantArgs {
  @Matches(/\S/, { message: '$property must not be empty' })
  @MaxLength(1000)
  @Field(() => String)
  question!: string;
  @MaxLength(200)
  @Field(() => ID, { nullable: true, description: "The shopper, whose interests re-rank the candidates." })
  userId?: string | null;
  @IsIn(LOCALES as unknown as string[], { message: `$property must be one of: ${LOCALES.join(', ')}` })
  @Field(() => String, { defaultValue: 'en' })
  locale!: Locale;
  @MaxLength(100)
  @Field(() => ID, { nullable: true, description: 'Continue a conversation (kept for ASSISTANT_CONVERSATION_TTL_MS).' })
  conversationId?: string | null;
}
