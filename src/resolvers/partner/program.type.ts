import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../common/scalars';

export const AttributionModelEnum = { LAST_CLICK: 'LAST_CLICK', FIRST_CLICK: 'FIRST_CLICK' } as const;
registerEnumType(AttributionModelEnum, {
  name: 'AttributionModel',
  description:
    "LAST_CLICK (default, as most networks do): an order goes to the member's last partner click within the window. " +
    "FIRST_CLICK: when that click is this program's, the order is paid on the member's first click of this program within the window.",
});

@ObjectType({ description: 'A commission rate that overrides the default for a category and its subcategories.' })
export class CategoryRate {
  @Field(() => ID) categoryId!: string;
  @Field(() => Float) rate!: number;
}

@ObjectType({ description: 'One version of a partner program; a conversion is paid at the version in force at its click.' })
export class ProgramTerms {
  @Field(() => Int) version!: number;
  @Field(() => DateTime, { description: 'When this version came into force.' }) effectiveFrom!: Date;
  @Field(() => Float, { description: 'Commission as a share of item revenue (0.05 = 5%).' }) defaultRate!: number;
  @Field(() => [CategoryRate]) categoryRates!: CategoryRate[];
  @Field(() => [ID], { nullable: true, description: 'Recommendations come from these categories (and subcategories) only; null: all.' })
  allowCategoryIds!: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Recommendations come from these products only; null: all.' }) allowProductIds!: string[] | null;
  @Field(() => [ID]) denyProductIds!: string[];
  @Field(() => Int) attributionWindowDays!: number;
  @Field(() => Int, { description: 'How long a tracking link records clicks after it was served.' }) clickLifetimeSeconds!: number;
  @Field({ description: 'Where a tracking link redirects; {productId} is replaced.' }) landingUrlTemplate!: string;
  @Field(() => AttributionModelEnum) attribution!: 'LAST_CLICK' | 'FIRST_CLICK';
}
