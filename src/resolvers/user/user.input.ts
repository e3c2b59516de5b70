import { IsISO8601 } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IsId } from '../common/validators';

@InputType({ description: 'A user to create or update.' })
export class UserInput {
  @IsId()
  @Field(() => ID)
  id!: string;
  @IsISO8601()
  @Field(() => String, { nullable: true, description: 'ISO-8601; defaults to now for new users.' })
  createdAt?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
}
