import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { registerEnumType } from 'type-graphql';
import { INTERACTION_TYPES, InteractionType } from '../../domain/records';

export const DateTime = DateTimeResolver;
/** Free-form JSON (model parameters and metrics as stored, small node property maps). */
export const JSONScalar = JSONResolver;

/** A TS enum object for type-graphql, built from the domain list so the two never drift. */
export const InteractionTypeEnum = Object.fromEntries(INTERACTION_TYPES.map((t) => [t, t])) as { [K in InteractionType]: K };

registerEnumType(InteractionTypeEnum, {
  name: 'InteractionType',
  description: 'What the user did: VIEW, CLICK, CART, PURCHASE, RATE (with a rating) or REVIEW (with text).',
});
