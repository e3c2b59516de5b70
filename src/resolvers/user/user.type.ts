import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A shopper or member. Personal data is never stored beyond an id and country.' })
export class User {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'ISO-8601 instant the user was first seen.' }) createdAt!: string | null;
  @Field(() => String, { nullable: true }) country!: string | null;
}
