import { Field, Float, ID, ObjectType } from 'type-graphql';
import { CatalogueCacheHint } from '../../graphql/cache-hints';
import { Connection } from '../common/connection';
import type { Category } from '../category/category.type';

@CatalogueCacheHint()
@ObjectType({ description: 'A product in the catalogue.' })
export class Product {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Float, { nullable: true }) price!: number | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217 currency code of the price.' }) currency!: string | null;
  @Field(() => String, { nullable: true }) brand!: string | null;
  @Field(() => Boolean, { nullable: true }) inStock!: boolean | null;
  /** Read with the product when its selection asked for them (the `categories` field resolver's source). */
  categories?: Category[];
}

@CatalogueCacheHint()
@ObjectType()
export class ProductConnection extends Connection('Product', Product) {}
