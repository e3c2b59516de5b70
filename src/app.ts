/** Wires configuration, the database, repositories and services once per process. */
import { ApiKeyService } from './auth/api-key.service';
import type { Config } from './config';
import { Database } from './db/database';
import type { Repositories } from './loaders';
import { TextEmbedder } from './ml/text';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { CategoryRepository } from './repositories/category.repository';
import { ExplorationRepository } from './repositories/exploration.repository';
import { InteractionRepository } from './repositories/interaction.repository';
import { ModelVersionRepository } from './repositories/model-version.repository';
import { CandidateListRepository } from './repositories/candidate-list.repository';
import { ProductRepository } from './repositories/product.repository';
import { ProfileModelRepository } from './repositories/profile-model.repository';
import { SegmentRepository } from './repositories/segment.repository';
import { UserRepository } from './repositories/user.repository';
import { ActiveModelService } from './services/active-model.service';
import { CandidateListService } from './pipeline/build-candidate-lists';
import { CatalogService } from './services/catalog.service';
import { ExplorationService } from './services/exploration/exploration.service';
import { InteractionService } from './services/interaction.service';
import { ProfileService } from './services/profile.service';
import { SegmentService } from './services/segment.service';
import { SegmentationService } from './pipeline/segment-users';
import { ProductDiscoveryService } from './services/product-discovery.service';
import { PublishService } from './pipeline/publish';
import { ChangeSignals } from './services/change-signals';
import { ListReasons } from './services/recommendation/list-reasons';
import { ModelVectors } from './services/recommendation/model-vectors';
import { RECENT_ITEMS } from './services/recommendation/limits';
import { Reasons } from './services/recommendation/reasons';
import { RecommendationTokens } from './services/recommendation/recommendation-token';
import { RecommendationService } from './services/recommendation/recommendation.service';
import { FoldInLists } from './services/recommendation/serving-cache/fold-in-lists';
import { ServingCache } from './services/recommendation/serving-cache/serving-cache.service';
import { Neo4jServingCacheReads } from './services/recommendation/serving-cache/serving-cache-reads';
import { ExactScanSource } from './services/recommendation/sources/exact-scan.source';
import { FoldInSource } from './services/recommendation/sources/fold-in.source';
import { MemoryFoldInSource } from './services/recommendation/sources/memory-fold-in.source';
import { MemoryListSource } from './services/recommendation/sources/memory-list.source';
import { PopularFillSource } from './services/recommendation/sources/popular-fill.source';
import { PublishedVectorSource } from './services/recommendation/sources/published-vector.source';
import { TrendingSource } from './services/recommendation/sources/trending.source';
import { WiderIndexSource } from './services/recommendation/sources/wider-index.source';
import { TrendingProducts } from './services/recommendation/trending-products';
import { UserService } from './services/user.service';

export interface Services {
  config: Config;
  db: Database;
  repositories: Repositories;
  apiKeys: ApiKeyService;
  catalog: CatalogService;
  interactions: InteractionService;
  users: UserService;
  profiles: ProfileService;
  segments: SegmentService;
  segmentation: SegmentationService;
  exploration: ExplorationService;
  activeModel: ActiveModelService;
  recommendations: RecommendationService;
  discovery: ProductDiscoveryService;
  tokens: RecommendationTokens;
  /** Writes announced by the services, for whoever keeps copies. */
  signals: ChangeSignals;
  /** Users' lists and latest events in memory; only a server starts it (startServer), other processes leave it idle. */
  servingCache: ServingCache;
  /** Releases what the services hold besides the driver (the text encoder's sessions). */
  close(): Promise<void>;
}

/** The publisher with its dependencies (train, publish and benches publish; the server never does). */
export function createPublisher(db: Database): PublishService {
  const versions = new ModelVersionRepository(db);
  return new PublishService(versions, new CandidateListService(new CandidateListRepository(db), versions));
}

export function createServices(config: Config, db = new Database(config.neo4j)): Services {
  const repositories: Repositories = {
    users: new UserRepository(db),
    products: new ProductRepository(db),
    categories: new CategoryRepository(db),
    interactions: new InteractionRepository(db),
    profileModels: new ProfileModelRepository(db),
    segments: new SegmentRepository(db),
    candidateLists: new CandidateListRepository(db),
  };
  // The encoder loads its ONNX sessions on first use: servers that never search pay nothing.
  let embedder: TextEmbedder | undefined;
  const textEmbedder = (): TextEmbedder =>
    (embedder ??= new TextEmbedder({ modelDir: config.models.textModelDir, cacheDir: config.models.textCacheDir }));
  const activeModel = new ActiveModelService(new ModelVersionRepository(db));
  const tokens = new RecommendationTokens(config.recommendations.secret);
  const discovery = new ProductDiscoveryService(repositories.products, repositories.interactions, activeModel, textEmbedder);
  const signals = new ChangeSignals();
  // Its own driver, also for reading which version is active: the cache's polls and loads are
  // background work, neither holding connections requests wait for nor counted in the round trips
  // per request that tests bound. Requests pass their own view of the version (ServingCache.listed).
  const backgroundDb = new Database(config.neo4j);
  // Fold-in lists search on the background driver too; the GAT is the request path's, loaded once.
  const servingCache = new ServingCache(
    new Neo4jServingCacheReads({
      products: new ProductRepository(backgroundDb),
      users: new UserRepository(backgroundDb),
      interactions: new InteractionRepository(backgroundDb),
      candidateLists: new CandidateListRepository(backgroundDb),
    }),
    new ActiveModelService(new ModelVersionRepository(backgroundDb)),
    { ...config.servingCache, recentLimit: RECENT_ITEMS },
    signals,
    new FoldInLists(new CandidateListRepository(backgroundDb), (model) => activeModel.gat(model)),
    new ListReasons((model) => activeModel.gat(model)),
  );
  const trending = new TrendingProducts(repositories.interactions);
  const recommendations = new RecommendationService({
    candidateLists: repositories.candidateLists,
    active: activeModel,
    tokens,
    reasons: new Reasons(trending),
    vectors: new ModelVectors(activeModel, repositories.products),
    // The order is the decision: memory first, then one Neo4j round trip, then the costlier
    // fallbacks that fill a short page; trending answers a user with no personal answer at all.
    sources: [
      new MemoryListSource(servingCache),
      new MemoryFoldInSource(servingCache, activeModel, repositories.products),
      new PublishedVectorSource(),
      new FoldInSource(activeModel, repositories.products),
      new WiderIndexSource(repositories.products, repositories.users),
      new ExactScanSource(repositories.products, repositories.users),
      new PopularFillSource(trending),
      new TrendingSource(trending),
    ],
    maxPageSize: config.graphql.maxPageSize,
  });
  return {
    config,
    db,
    repositories,
    apiKeys: new ApiKeyService(new ApiKeyRepository(db), config.auth.keyCacheMs),
    catalog: new CatalogService(repositories.products, repositories.categories, repositories.users, config.graphql.maxPageSize, discovery, signals),
    interactions: new InteractionService(repositories.interactions, config.graphql.maxEventBatch, tokens, signals),
    users: new UserService(config.graphql.maxPageSize),
    profiles: new ProfileService(repositories),
    segments: new SegmentService(repositories.segments, config.graphql.maxPageSize),
    segmentation: new SegmentationService(repositories, new ModelVersionRepository(db)),
    exploration: new ExplorationService(new ExplorationRepository(db, config.analyst.queryTimeoutMs), new ModelVersionRepository(db), config.analyst),
    activeModel,
    recommendations,
    discovery,
    tokens,
    signals,
    servingCache,
    async close() {
      await servingCache.stop();
      await backgroundDb.close();
      await embedder?.close();
      await db.close();
    },
  };
}
