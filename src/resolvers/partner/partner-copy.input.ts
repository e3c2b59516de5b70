import { MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { CopyRequestFields } from '../copy/copy.input';

@InputType({ description: 'Copy about a product of your program for one of your members, with their tracking link.' })
export class PartnerCopyInput extends CopyRequestFields {
  @MaxLength(200)
  @Field(() => ID, { description: 'The member the tracking link is for (your memberRef); the copy is written for them unless segmentId is given.' })
  memberRef!: string;
}
