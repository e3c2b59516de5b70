import { Field, ID, ObjectType } from 'type-graphql';
import { CatalogueCacheHint } from '../../graphql/cache-hints';

@CatalogueCacheHint()
@ObjectType({ description: 'A product category; categories form a tree through `parent`.' })
export class Category {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => ID, { nullable: true, description: 'Id of the parent category, if any.' }) parentId!: string | null;
}
