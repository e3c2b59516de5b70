import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { InteractionType } from '../../domain/records';
import { Connection } from '../common/connection';
import { InteractionTypeEnum } from '../common/scalars';

@ObjectType({ description: 'One event of a user with a product.' })
export class Interaction {
  @Field(() => ID) eventId!: string;
  @Field(() => InteractionTypeEnum) type!: InteractionType;
  /** Epoch ms; exposed as DateTime by the resolver. */
  at!: number;
  @Field(() => Float, { description: 'Interest signal used in training: by type, or the stars of a rating.' }) weight!: number;
  @Field(() => Float, { nullable: true }) rating!: number | null;
  @Field(() => String, { nullable: true }) reviewText!: string | null;
  productId!: string;
  userId!: string;
}

@ObjectType()
export class InteractionConnection extends Connection('Interaction', Interaction) {}

export enum EventStatus {
  ACCEPTED = 'ACCEPTED',
  DUPLICATE = 'DUPLICATE',
  REJECTED = 'REJECTED',
}
registerEnumType(EventStatus, {
  name: 'EventStatus',
  description: 'ACCEPTED: stored now. DUPLICATE: this eventId was stored before (nothing changed). REJECTED: see reason.',
});

@ObjectType()
export class EventResult {
  @Field(() => ID) eventId!: string;
  @Field(() => EventStatus) status!: EventStatus;
  @Field(() => String, { nullable: true, description: 'Why the event was rejected or counted as duplicate.' }) reason!: string | null;
}

@ObjectType({ description: 'Per-event outcome of recordInteractions, in the order the events were sent.' })
export class RecordInteractionsResult {
  @Field(() => Int) accepted!: number;
  @Field(() => Int) duplicates!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => [EventResult]) results!: EventResult[];
}
