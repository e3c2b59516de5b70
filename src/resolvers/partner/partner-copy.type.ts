import { Field, Float, ID, ObjectType } from 'type-graphql';
import { CopyFact, CopySource, GuardrailCheck } from '../copy/copy.type';
import { MemberError } from './partner-recommendation.type';

@ObjectType()
export class PartnerCopyVariant {
  @Field(() => String, { description: 'The text to send. On SMS, EMAIL_BODY and SOCIAL it ends with the tracking link; a PUSH title or EMAIL_SUBJECT holds none (use `link` as the target).' })
  text!: string;
  @Field(() => String, { description: 'The tracking link: GET records the click and redirects to the program landing page. Opaque.' })
  link!: string;
  @Field(() => CopySource) source!: CopySource;
  @Field(() => [CopyFact]) factsUsed!: CopyFact[];
  @Field(() => [GuardrailCheck], { description: 'Checked on the text without the link; the length limit counts the link.' }) checks!: GuardrailCheck[];
  @Field(() => Float, { description: 'Share of guardrail checks passed (1 = all).' }) score!: number;
  @Field(() => String, { nullable: true, description: 'The model that wrote it; null for a template.' }) model!: string | null;
}

@ObjectType({ description: 'Generated copy for one of your members, or the reason there is none.' })
export class PartnerCopyResult {
  @Field(() => ID) memberRef!: string;
  @Field(() => ID) productId!: string;
  @Field(() => String, { description: 'CONSTRAINED, FREE or TEMPLATE; NONE with an error.' }) mode!: string;
  @Field(() => String, { nullable: true, description: 'Why templates stood in: NO_MODEL, MODEL_ERROR, TIMEOUT or GUARDRAILS.' }) fallbackReason!: string | null;
  @Field(() => [PartnerCopyVariant]) variants!: PartnerCopyVariant[];
  @Field(() => MemberError, { nullable: true, description: 'UNKNOWN_MEMBER: no member shared with you has this memberRef.' }) error!: MemberError | null;
}
