/** A user's interaction history, newest first, as Relay pages. */
import type { InteractionType } from '../domain/records';
import type { Loaders } from '../loaders';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import type { InteractionRow } from '../repositories/interaction.repository';
import { Page, pageSize } from '../shared/page';

export class UserService {
  constructor(private readonly maxPageSize: number) {}

  async interactions(
    loaders: Loaders,
    userId: string,
    args: { first?: number | null; after?: string | null; types?: InteractionType[] | null },
  ): Promise<Page<InteractionRow>> {
    const size = pageSize(args.first, this.maxPageSize);
    const cursor = args.after ? decodeCursor(args.after, 2) : null;
    const types = args.types && args.types.length > 0 ? args.types : null;
    const rows = await loaders
      .interactionsOfUser({
        types,
        afterAt: cursor ? Number(cursor[0]) : null,
        afterEventId: cursor ? String(cursor[1]) : null,
        limit: size + 1,
      })
      .load(userId);
    return {
      items: rows.slice(0, size).map((row) => ({ node: row, cursor: encodeCursor([row.at, row.eventId]) })),
      hasNextPage: rows.length > size,
      hasPreviousPage: cursor !== null,
      totalCount: () => loaders.interactionCountOfUser(types).load(userId),
    };
  }
}
