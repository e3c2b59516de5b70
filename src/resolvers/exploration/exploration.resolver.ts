import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Product } from '../product/product.type';
import { CoPurchaseArgs, ModelVersionsArgs, NeighborhoodArgs, PathsArgs, SegmentScatterArgs } from './exploration.input';
import { Neighborhood, PathsResult } from './graph.type';
import { CoPurchase, CoPurchaseItem, GraphStats, SegmentOverlap, SegmentScatter } from './insight.type';
import { ModelVersionInfo } from './model-version.type';

/** Read-only exploration for analysts; each query runs in a time-limited READ transaction. */
@Resolver()
export class ExplorationResolver {
  @Authorized('analyst')
  @Query(() => Neighborhood, {
    description:
      'Nodes within `depth` (1–3) hops of a node and the relationships between them. Per hop each node contributes at most ' +
      'its 50 heaviest neighbours; at most `limit` (1–500) nodes in total; `truncated` tells when something was left out. ' +
      'Address nodes as "user:<id>", "product:<id>", "category:<id>" or "segment:<id>". QUERY_LIMIT_EXCEEDED past the time limit.',
  })
  async neighborhood(@Args(() => NeighborhoodArgs) args: NeighborhoodArgs, @Ctx() ctx: Context): Promise<Neighborhood> {
    return ctx.services.exploration.neighborhood(args);
  }

  @Authorized('analyst')
  @Query(() => PathsResult, {
    description: 'Shortest paths (all of the shortest length, up to `limit` 1–50) between two nodes within `maxHops` (1–4) relationships.',
  })
  async paths(@Args(() => PathsArgs) args: PathsArgs, @Ctx() ctx: Context): Promise<PathsResult> {
    return ctx.services.exploration.paths(args);
  }

  @Authorized('analyst')
  @Query(() => SegmentOverlap, { description: 'Members of 2–20 segments and, for every pair, users in both and their Jaccard index.' })
  async segmentOverlap(@Arg('segmentIds', () => [ID]) segmentIds: string[], @Ctx() ctx: Context): Promise<SegmentOverlap> {
    return ctx.services.exploration.segmentOverlap(segmentIds);
  }

  @Authorized('analyst')
  @Query(() => GraphStats, { description: 'Node counts by label, relationship counts by type, events by type and interaction density.' })
  async graphStats(@Ctx() ctx: Context): Promise<GraphStats> {
    return ctx.services.exploration.graphStats();
  }

  @Authorized('analyst')
  @Query(() => [ModelVersionInfo], { description: 'Trained model versions, newest first, with their offline evaluation.' })
  async modelVersions(@Ctx() ctx: Context, @Args(() => ModelVersionsArgs) { limit }: ModelVersionsArgs): Promise<ModelVersionInfo[]> {
    return ctx.services.exploration.modelVersions(limit);
  }

  @Authorized('analyst')
  @Query(() => CoPurchase, {
    description:
      'Products that users of a product also interacted with (only `types` when given, e.g. [PURCHASE] for "bought together"), ' +
      'ranked by how many of its users share them. `first` 1–100, default 10.',
  })
  async coPurchase(@Args(() => CoPurchaseArgs) args: CoPurchaseArgs, @Ctx() ctx: Context): Promise<CoPurchase> {
    return ctx.services.exploration.coPurchase(args);
  }

  @Authorized('analyst')
  @Query(() => SegmentScatter, {
    description:
      'User embeddings of a model version (the active one by default) projected to 2-D with PCA, coloured by segment. ' +
      'With `segmentIds` only their members; `limit` 1–5000 users (default 2000).',
  })
  async segmentScatter(@Ctx() ctx: Context, @Args(() => SegmentScatterArgs) args: SegmentScatterArgs): Promise<SegmentScatter> {
    return ctx.services.exploration.segmentScatter(args);
  }
}

@Resolver(() => CoPurchaseItem)
export class CoPurchaseItemResolver {
  @FieldResolver(() => Product, { nullable: true })
  async product(@Root() item: CoPurchaseItem, @Ctx() ctx: Context): Promise<Product | null> {
    return ctx.loaders.product.load(item.productId);
  }
}
