import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CopySource {
  MODEL = 'MODEL',
  TEMPLATE = 'TEMPLATE',
}
registerEnumType(CopySource, { name: 'CopySource', description: 'MODEL: written by the language model and passing every guardrail; TEMPLATE: the template engine.' });

@ObjectType({ description: 'A catalogue fact a text states.' })
export class CopyFact {
  @Field(() => String, { description: 'TITLE, BRAND, PRICE or CATEGORY.' }) kind!: string;
  @Field(() => String) value!: string;
}

@ObjectType({ description: 'One guardrail check and its result.' })
export class GuardrailCheck {
  @Field(() => String, { description: 'LENGTH, UNGROUNDED_NUMBER, BANNED_CLAIM, LOCALE, NAMES_PRODUCT, PERSONAL_DATA, REPETITION or CITATIONS.' }) check!: string;
  @Field(() => Boolean) passed!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it failed.' }) detail!: string | null;
}

@ObjectType()
export class CopyVariant {
  @Field(() => String) text!: string;
  @Field(() => CopySource) source!: CopySource;
  @Field(() => [CopyFact]) factsUsed!: CopyFact[];
  @Field(() => [GuardrailCheck]) checks!: GuardrailCheck[];
  @Field(() => Float, { description: 'Share of guardrail checks passed (1 = all).' }) score!: number;
  @Field(() => String, { nullable: true, description: 'The model that wrote it; null for a template.' }) model!: string | null;
  @Field(() => Float, { nullable: true, description: "The model's mean log-probability per token." }) meanLogProb!: number | null;
}

@ObjectType({ description: 'Generated copy: variants ranked best first.' })
export class CopyResult {
  @Field(() => ID) productId!: string;
  @Field(() => String, { description: 'SEGMENT or USER, and its id: "SEGMENT:<id>".' }) audience!: string;
  @Field(() => String, { description: 'CONSTRAINED (grammar with fact slots), FREE, or TEMPLATE (no model configured).' }) mode!: string;
  @Field(() => String) promptVersion!: string;
  @Field(() => Boolean, { description: 'Served from the cache (dropped when the product changes).' }) cached!: boolean;
  @Field(() => String, { nullable: true, description: 'Why templates stood in: NO_MODEL, MODEL_ERROR, TIMEOUT or GUARDRAILS.' }) fallbackReason!: string | null;
  @Field(() => String, { nullable: true, description: "The model's error when it failed, e.g. the GGUF file or node-llama-cpp's binary did not load." }) modelError!: string | null;
  @Field(() => [CopyVariant]) variants!: CopyVariant[];
  @Field(() => Int, { description: 'Model samples drawn for this answer.' }) samples!: number;
  @Field(() => Int, { description: 'Tokens generated.' }) tokens!: number;
}

@ObjectType({ description: "The shopping assistant's answer, from the catalogue only." })
export class AssistantAnswer {
  @Field(() => ID) conversationId!: string;
  @Field(() => String) answer!: string;
  @Field(() => [ID], { description: 'Products the answer cites, all among the candidates.' }) citedProductIds!: string[];
  @Field(() => [ID], { description: 'Products semantic search found relevant enough.' }) candidateIds!: string[];
  @Field(() => Boolean, { description: "False when the catalogue had no answer and the assistant said it doesn't know." }) answered!: boolean;
  @Field(() => CopySource) source!: CopySource;
  @Field(() => [GuardrailCheck]) checks!: GuardrailCheck[];
  @Field(() => String, { nullable: true }) model!: string | null;
}
