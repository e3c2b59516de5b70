import { ArrayMaxSize, IsUrl, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { IsId } from '../common/validators';
import { NotLessThan } from '../common/validators';
import { AttributionModelEnum } from './program.type';

@InputType()
export class CategoryRateInput {
  @IsId() @Field(() => ID) categoryId!: string;
  @Min(0) @Max(1) @Field(() => Float) rate!: number;
}

@InputType({ description: 'Terms of a partner program; each change makes a new version.' })
export class ProgramTermsInput {
  @Min(0) @Max(1) @Field(() => Float, { description: 'Commission as a share of item revenue (0.05 = 5%).' }) defaultRate!: number;
  @ValidateNested() @Field(() => [CategoryRateInput], { nullable: true }) categoryRates?: CategoryRateInput[] | null;
  @Field(() => [ID], { nullable: true }) allowCategoryIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) allowProductIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) denyProductIds?: string[] | null;
  @Min(1) @Max(365) @Field(() => Int, { nullable: true, description: 'Default 30.' }) attributionWindowDays?: number | null;
  @Min(60) @Max(365 * 86400) @Field(() => Int, { nullable: true, description: 'Default 7 days.' }) clickLifetimeSeconds?: number | null;
  @IsUrl({ require_tld: false, require_protocol: true }, { message: '$property must be an absolute URL' })
  @Matches(/\{productId\}/, { message: '$property must contain {productId}' })
  @Field({ description: 'Where tracking links redirect, with {productId}.' })
  landingUrlTemplate!: string;
  @Field(() => AttributionModelEnum, { nullable: true, defaultValue: 'LAST_CLICK' }) attribution?: 'LAST_CLICK' | 'FIRST_CLICK' | null;
}

@InputType()
export class RegisterPartnerInput {
  @IsId() @Matches(/^[A-Za-z0-9_.-]+$/, { message: '$property may hold letters, digits, _ . - only' }) @Field(() => ID) partnerId!: string;
  @MaxLength(200) @Field() name!: string;
  @ValidateNested() @Field(() => ProgramTermsInput) program!: ProgramTermsInput;
}

@InputType({ description: 'A member shared with a partner: the user, the partner\'s own reference for them, and their consent.' })
export class MemberLinkInput {
  @IsId() @Field(() => ID) userId!: string;
  @IsId() @Field(() => ID, { description: 'The only identity of this member the partner ever sees.' }) memberRef!: string;
  @Field(() => DateTime) consentAt!: Date;
  @ArrayMaxSize(20) @Field(() => [String], { defaultValue: [] }) scopes!: string[];
}

@InputType({ description: 'Narrows partner recommendations within the program.' })
export class PartnerRecommendationFilterInput {
  @Field(() => [ID], { nullable: true, description: 'In any of these categories or their subcategories (and allowed by the program).' })
  categories?: string[] | null;
  @Min(0) @Field(() => Float, { nullable: true }) minPrice?: number | null;
  @NotLessThan('minPrice') @Field(() => Float, { nullable: true }) maxPrice?: number | null;
}
