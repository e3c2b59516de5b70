import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ProgramTerms } from './program.type';

@ObjectType({ description: 'A newly registered partner with its first API key (shown once) and program version 1.' })
export class RegisteredPartner {
  @Field(() => ID) partnerId!: string;
  @Field() name!: string;
  @Field({ description: 'The partner-role API key; only its hash is stored, so keep it now.' }) apiKey!: string;
  @Field(() => ProgramTerms) program!: ProgramTerms;
}

export const LinkStatusEnum = { LINKED: 'LINKED', REJECTED: 'REJECTED' } as const;
registerEnumType(LinkStatusEnum, { name: 'MemberLinkStatus' });

@ObjectType()
export class MemberLinkResult {
  @Field(() => ID) memberRef!: string;
  @Field(() => LinkStatusEnum) status!: 'LINKED' | 'REJECTED';
  @Field(() => String, { nullable: true }) reason!: string | null;
}
