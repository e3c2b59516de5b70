/** A page of a Relay connection as services produce it; resolvers turn it into GraphQL types. */
import { BadInputError } from '../errors';

export interface Page<T> {
  items: { node: T; cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Counted only when a client asks for it. */
  totalCount: () => Promise<number>;
}

export const DEFAULT_PAGE_SIZE = 20;

export function pageSize(first: number | null | undefined, max: number): number {
  if (first === null || first === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new BadInputError(`first must be between 0 and ${max}; got ${first}`, { max });
  }
  return first;
}
