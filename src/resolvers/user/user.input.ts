import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A user to create or update.' })
export class UserInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'ISO-8601; defaults to now for new users.' }) createdAt?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
}
