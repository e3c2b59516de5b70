/**
 * How much an event says about a user's interest, stored on the event as `weight` and used as the
 * edge weight in training. A purchase says more than a view; a rating says as much as its stars.
 */
import type { InteractionType } from './records';

export const TYPE_WEIGHT: Record<InteractionType, number> = {
  VIEW: 1,
  CLICK: 2,
  CART: 3,
  PURCHASE: 5,
  RATE: 3,
  REVIEW: 4,
};

/** A rating maps linearly from 0.5..5 stars onto 0.5..5, so a 1-star rating weighs less than a view. */
export function interactionWeight(type: InteractionType, rating?: number | null): number {
  if (type === 'RATE' && rating !== undefined && rating !== null) return Math.max(0.1, rating);
  return TYPE_WEIGHT[type];
}
