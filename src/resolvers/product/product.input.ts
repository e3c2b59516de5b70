import { IsNotEmpty, Min } from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import { IsId, NotLessThan } from '../common/validators';

@InputType({ description: 'Narrows a product listing; all given conditions must hold.' })
export class ProductFilter {
  @Field(() => [ID], { nullable: true, description: 'In any of these categories or their subcategories.' })
  categoryIds?: string[] | null;
  @Field(() => Float, { nullable: true }) minPrice?: number | null;
  @NotLessThan('minPrice')
  @Field(() => Float, { nullable: true })
  maxPrice?: number | null;
  @Field(() => Boolean, { nullable: true }) inStock?: boolean | null;
  @Field(() => String, { nullable: true }) brand?: string | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the title.' }) titleContains?: string | null;
}

@InputType({ description: 'A category to create or update with upsertProducts.' })
export class CategoryInput {
  @IsId()
  @Field(() => ID)
  id!: string;
  @IsNotEmpty()
  @Field()
  name!: string;
  @Field(() => ID, { nullable: true }) parentId?: string | null;
}

@InputType({ description: 'A product to create or update; categories are replaced by categoryIds.' })
export class ProductInput {
  @IsId()
  @Field(() => ID)
  id!: string;
  @IsNotEmpty()
  @Field()
  title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Min(0)
  @Field(() => Float, { nullable: true })
  price?: number | null;
  @Field(() => String, { nullable: true }) currency?: string | null;
  @Field(() => String, { nullable: true }) brand?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) inStock?: boolean | null;
  @Field(() => [ID], { defaultValue: [] }) categoryIds!: string[];
}
