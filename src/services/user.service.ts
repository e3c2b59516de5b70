/** Users by id and their interaction history, newest first, as Relay pages. */
import type { InteractionType } from '../domain/records';
import type { Loaders } from '../loaders';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import type { InteractionPageArgs, InteractionRow } from '../repositories/interaction.repository';
import type { UserRow } from '../repositories/user.repository';
import { Page, pageSize } from '../shared/page';

export interface InteractionsArgs {
  first?: number | null;
  after?: string | null;
  types?: InteractionType[] | null;
}

/** What the caller will ask for right after the users (the selection below them). */
export interface UsersAhead {
  /** A page of interactions, and whether its totalCount. */
  interactions: (InteractionsArgs & { totalCount: boolean }) | null;
  segment: boolean;
}

export class UserService {
  constructor(private readonly maxPageSize: number) {}

  /**
   * The users among `ids` (null for unknown ones), in order. What `ahead` names (a page of their
   * interactions, their segment) comes in the same statement, so the calls that follow find it loaded.
   */
  async users(loaders: Loaders, ids: readonly string[], ahead: UsersAhead): Promise<(UserRow | null)[]> {
    const loader =
      ahead.interactions || ahead.segment
        ? loaders.usersWith({
            page: ahead.interactions && this.pageArgs(ahead.interactions),
            withCount: ahead.interactions?.totalCount ?? false,
            segment: ahead.segment,
          })
        : loaders.user;
    const rows = await loader.loadMany(ids);
    return rows.map((row) => {
      if (row instanceof Error) throw row;
      return row && { id: row.id, createdAt: row.createdAt, country: row.country };
    });
  }

  async interactions(loaders: Loaders, userId: string, args: InteractionsArgs): Promise<Page<InteractionRow>> {
    const pageArgs = this.pageArgs(args);
    const size = pageArgs.limit - 1;
    const rows = await loaders.interactionsOfUser(pageArgs).load(userId);
    return {
      items: rows.slice(0, size).map((row) => ({ node: row, cursor: encodeCursor([row.at, row.eventId]) })),
      hasNextPage: rows.length > size,
      hasPreviousPage: pageArgs.afterAt !== null,
      totalCount: () => loaders.interactionCountOfUser(pageArgs.types).load(userId),
    };
  }

  /** The repository's page arguments: one more than the page, to know whether another follows. */
  private pageArgs(args: InteractionsArgs): InteractionPageArgs {
    const size = pageSize(args.first, this.maxPageSize);
    const cursor = args.after ? decodeCursor(args.after, 2) : null;
    return {
      types: args.types && args.types.length > 0 ? args.types : null,
      afterAt: cursor ? Number(cursor[0]) : null,
      afterEventId: cursor ? String(cursor[1]) : null,
      limit: size + 1,
    };
  }
}
