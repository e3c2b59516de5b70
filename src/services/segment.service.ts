/** Reading segments for the API: the serving run's list, one segment, and its members as Relay pages. */
import { NotFoundError } from '../errors';
import type { Loaders } from '../loaders';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import type { SegmentRepository, SegmentRow } from '../repositories/segment.repository';
import { Page, pageSize } from '../shared/page';

export class SegmentService {
  constructor(
    private readonly segments: SegmentRepository,
    private readonly maxPageSize: number,
  ) {}

  /** Current segments of `modelVersion`, or of the serving version (active model's, else the latest run). */
  async list(modelVersion?: string | null): Promise<SegmentRow[]> {
    const version = modelVersion ?? (await this.segments.servingVersion());
    return version ? this.segments.list(version) : [];
  }

  async get(loaders: Loaders, id: string): Promise<SegmentRow> {
    const segment = await loaders.segment.load(id);
    if (!segment) throw new NotFoundError('Segment', id);
    return segment;
  }

  /** Members ordered by user id. */
  async members(segment: SegmentRow, args: { first?: number | null; after?: string | null }): Promise<Page<string>> {
    const size = pageSize(args.first, this.maxPageSize);
    const after = args.after ? String(decodeCursor(args.after, 1)[0]) : null;
    const ids = await this.segments.members(segment.id, after, size + 1);
    return {
      items: ids.slice(0, size).map((id) => ({ node: id, cursor: encodeCursor([id]) })),
      hasNextPage: ids.length > size,
      hasPreviousPage: after !== null,
      totalCount: async () => segment.size,
    };
  }
}
