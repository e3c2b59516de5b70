/** Relay connections built from a service Page, after type-graphql's generic-types example. */
import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Page } from '../../shared/page';
import { InheritCacheHint } from '../../graphql/cache-hints';
import { PageInfo } from './page-info.type';

export interface ConnectionShape<TNode> {
  edges: { node: TNode; cursor: string }[];
  pageInfo: PageInfo;
  /** A getter, so the count query runs only when a client selects the field. */
  readonly totalCount: Promise<number>;
}

export function Connection<TNode extends object>(name: string, nodeClass: ClassType<TNode>) {
  // Cacheable exactly as its connection is: a product page may be, a user's history is not.
  @InheritCacheHint()
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => nodeClass) node!: TNode;
    @Field({ description: 'Pass as `after` to get the edges that follow this one.' }) cursor!: string;
  }

  @ObjectType(`${name}ConnectionBase`)
  abstract class ConnectionClass implements ConnectionShape<TNode> {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'All items matching the arguments, across pages.' })
    totalCount!: Promise<number>;
  }
  return ConnectionClass;
}

export function pageInfoOf(edges: readonly { cursor: string }[], page: { hasNextPage: boolean; hasPreviousPage: boolean }): PageInfo {
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
}

export function toConnection<TRow, TNode>(page: Page<TRow>, map: (row: TRow) => TNode): ConnectionShape<TNode> {
  const edges = page.items.map((item) => ({ node: map(item.node), cursor: item.cursor }));
  return {
    edges,
    pageInfo: pageInfoOf(edges, page),
    get totalCount() {
      return page.totalCount();
    },
  };
}
