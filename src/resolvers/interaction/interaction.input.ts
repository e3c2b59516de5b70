import { Field, Float, ID, InputType } from 'type-graphql';
import type { InteractionType } from '../../domain/records';
import { DateTime, InteractionTypeEnum } from '../common/scalars';

@InputType({ description: 'An event to record. Re-sending the same eventId is a no-op.' })
export class InteractionInput {
  @Field(() => ID, { description: 'Globally unique id chosen by the sender; makes retries safe.' }) eventId!: string;
  @Field(() => ID, { description: 'Unknown users are created.' }) userId!: string;
  @Field(() => ID, { description: 'Must exist; events for unknown products are rejected.' }) productId!: string;
  @Field(() => InteractionTypeEnum) type!: InteractionType;
  @Field(() => DateTime, { nullable: true, description: 'When it happened; defaults to the time of receipt.' }) at?: Date | null;
  @Field(() => Float, { nullable: true, description: '0.5..5 stars; required for RATE.' }) rating?: number | null;
  @Field(() => String, { nullable: true }) reviewText?: string | null;
  @Field(() => String, { nullable: true }) sessionId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'recommendationId of the recommendations response that led to this event; stored for attribution.',
  })
  recommendationId?: string | null;
}
