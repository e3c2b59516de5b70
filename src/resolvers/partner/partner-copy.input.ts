import { IsIn, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Channel, LOCALES, Locale, Tone } from '../../services/copy/copy-types';
import { MAX_VARIANTS } from '../../services/copy/copy.service';
import { ChannelEnum, ToneEnum } from '../copy/copy.input';

@InputType({ description: 'Copy about a product of your program for one of your members, with their tracking link.' })
export class PartnerCopyInput {
  @MaxLength(200)
  @Field(() => ID, { description: 'A product your program allows (in stock, allowed, not denied); any other gets NOT_FOUND.' })
  productId!: string;
  @MaxLength(200)
  @Field(() => ID, { description: 'The member the tracking link is for (your memberRef); the copy is written for them unless segmentId is given.' })
  memberRef!: string;
  @MaxLength(200)
  @Field(() => ID, { nullable: true, description: 'Write for this segment instead of the member.' })
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
