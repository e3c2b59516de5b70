import { IsISO8601, IsNotEmpty, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MAX_ID_LENGTH } from '../../domain/records';

@InputType({ description: 'A user to create or update.' })
export class UserInput {
  @IsNotEmpty()
  @MaxLength(MAX_ID_LENGTH)
  @Field(() => ID)
  id!: string;
  @IsISO8601()
  @Field(() => String, { nullable: true, description: 'ISO-8601; defaults to now for new users.' })
  createdAt?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
}
