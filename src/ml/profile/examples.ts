/** The examples of a block of origins: features as of the origin, labels from the window after it. */
import { DAY_MS, ProfileEvent, computeRfm } from '../rfm';
import { sampleIndices } from '../seeded-sample';
import { CategoryView, categoryPopularity, categoryView, userFeatures } from './features';
import { outcomeIn } from './labels';
import type { ProfileSpec } from './model';
import type { Block } from './origins';

export interface Example {
  user: number;
  origin: number;
  features: number[];
  converted: number;
  /** Class index of the next category, -1 when none. */
  next: number;
  recencyDays: number;
  view: CategoryView | null;
}

export function examplesOf(users: readonly (readonly ProfileEvent[])[], block: Block, spec: ProfileSpec, maxRows: number, seed: number): Example[] {
  const window = spec.windowDays * DAY_MS;
  const index = new Map(spec.categories.map((c, i) => [c, i]));
  const popularityAt = new Map<number, number[]>();
  for (const origin of block.origins) popularityAt.set(origin, categoryPopularity(users, origin, spec));
  const picked = sampleIndices(block.pairs.length, maxRows, seed).map((i) => block.pairs[i]);
  return picked.map(({ user, origin }) => {
    const events = users[user];
    const outcome = outcomeIn(events, origin, origin + window, spec);
    const next = outcome.nextCategory === null ? -1 : (index.get(outcome.nextCategory) as number);
    return {
      user,
      origin,
      features: userFeatures(events, origin, spec),
      converted: outcome.converted ? 1 : 0,
      next,
      recencyDays: computeRfm(events, { asOf: origin, conversionTypes: spec.conversionTypes, pricedMonetary: spec.pricedMonetary }).recencyDays ?? Infinity,
      view: next >= 0 ? categoryView(events, origin, spec, popularityAt.get(origin) as number[]) : null,
    };
  });
}
