import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsId } from '../common/validators';
import { Min } from 'class-validator';
import { DateTime } from '../common/scalars';

export const ConversionStatusEnum = { PENDING: 'PENDING', APPROVED: 'APPROVED', REVERSED: 'REVERSED' } as const;
registerEnumType(ConversionStatusEnum, {
  name: 'ConversionStatus',
  description: 'PENDING until the lock period (CONVERSION_LOCK_DAYS) has passed, then APPROVED; REVERSED by reverseConversion (commission 0).',
});

@InputType()
export class ConversionItemInput {
  @IsId() @Field(() => ID) productId!: string;
  @Min(1) @Field(() => Int) quantity!: number;
  @Min(0) @Field(() => Float) unitPrice!: number;
}

@ObjectType({ description: 'An order, attributed to a partner click or not (partnerId null).' })
export class Conversion {
  @Field(() => ID) orderId!: string;
  @Field(() => ConversionStatusEnum) status!: 'PENDING' | 'APPROVED' | 'REVERSED';
  @Field(() => ID, { nullable: true }) partnerId!: string | null;
  @Field(() => Int, { nullable: true, description: 'The program version in force at the attributed click.' }) programVersion!: number | null;
  @Field(() => Float) revenue!: number;
  @Field(() => Float) commission!: number;
  @Field(() => DateTime) at!: Date;
  @Field(() => DateTime) lockUntil!: Date;
}
