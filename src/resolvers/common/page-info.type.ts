import { Field, ObjectType } from 'type-graphql';
import { InheritCacheHint } from '../../graphql/cache-hints';

@InheritCacheHint()
@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
