/** Wires configuration, the database, repositories and services once per process. */
import { ApiKeyService } from './auth/api-key.service';
import type { Config } from './config';
import { Database } from './db/database';
import type { Repositories } from './loaders';
import { TextEmbedder } from './ml/text';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { CategoryRepository } from './repositories/category.repository';
import { ExplorationRepository } from './repositories/exploration.repository';
import { InteractionRepository, StoredEvent } from './repositories/interaction.repository';
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
import { MemoryColdStartSource } from './services/recommendation/sources/memory-cold-start.source';
import { MemoryFoldInSource } from './services/recommendation/sources/memory-fold-in.source';
import { MemoryListSource } from './services/recommendation/sources/memory-list.source';
import { PopularFillSource } from './services/recommendation/sources/popular-fill.source';
import { PublishedVectorSource } from './services/recommendation/sources/published-vector.source';
import { TrendingSource } from './services/recommendation/sources/trending.source';
import { WiderIndexSource } from './services/recommendation/sources/wider-index.source';
import { TrendingProducts } from './services/recommendation/trending-products';
import { UserService } from './services/user.service';
import { CopyRepository } from './repositories/copy.repository';
import { AssistantService } from './services/copy/assistant.service';
import { AudienceReader } from './services/copy/audience';
import { CopyService } from './services/copy/copy.service';
import { createLanguageModel } from './services/copy/language-model-factory';
import { ModelGate } from './services/copy/model-gate';
import { PartnerRepository } from './repositories/partner.repository';
import { PartnerReportRepository } from './repositories/partner-report.repository';
import { PartnerService } from './services/partner/partner.service';
import { PartnerRecommendationService } from './services/partner/partner-recommendation.service';
import { ServedCounter } from './services/partner/served-counter';
import { TrackingLinks } from './services/partner/tracking-link';
import { ProgramFilter } from './services/partner/program-filter';
import { PartnerCopyService } from './services/partner/partner-copy.service';
import { ClickService } from './services/partner/click.service';
import { ConversionService } from './services/partner/conversion.service';
import { ConversionRepository } from './repositories/conversion.repository';
import { PartnerReportService } from './services/partner/report.service';
import { Journal } from './journal/journal';
import { ClickRecord, PartnerClickRepository } from './repositories/partner-click.repository';
import { TrainerRepository } from './repositories/trainer.repository';
import { TextTopicRepository } from './repositories/text-topic.repository';
import { TextTopicService } from './services/text-topic.service';
import { setServingCacheSource, setTrainerStatusSource } from './observability/metrics';
import { ExperimentRepository } from './repositories/experiment.repository';
import { ExperimentServing } from './services/experiments/experiment-serving';
import { ExperimentService } from './services/experiments/experiment.service';
import { CampaignRepository } from './repositories/campaign.repository';
import { CampaignService } from './services/experiments/campaign.service';

export interface Services {
  config: Config;
  db: Database;
  repositories: Repositories;
  apiKeys: ApiKeyService;
  catalog: CatalogService;
  interactions: InteractionService;
  users: UserService;
  profiles: ProfileService;
  /** Users' weights on the topics of what they write (`affinity topics`). */
  textTopics: TextTopicService;
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
  /** generateCopy and the shopping assistant, sharing one language model behind one bounded gate. */
  copy: CopyService;
  assistant: AssistantService;
  /** Affiliate partners: programs and shared members (admin), and what partner keys ask for. */
  partners: PartnerService;
  partnerRecommendations: PartnerRecommendationService;
  partnerCopy: PartnerCopyService;
  /** Recommendations served to partners, flushed to Neo4j by the server. */
  servedCounter: ServedCounter;
  trackingLinks: TrackingLinks;
  /** Tracking link clicks: journaled, then written to Neo4j in batches; only a server starts it. */
  clicks: ClickService;
  conversions: ConversionService;
  partnerReports: PartnerReportService;
  /** Which experiment variant serves a user (the hook every recommendation path calls); a server starts its flushes. */
  experimentServing: ExperimentServing;
  experiments: ExperimentService;
  campaigns: CampaignService;
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
    (embedder ??= new TextEmbedder({ encoder: config.models.textEncoder, modelDir: config.models.textModelDir, cacheDir: config.models.textCacheDir }));
  const activeModel = new ActiveModelService(new ModelVersionRepository(db));
  const tokens = new RecommendationTokens(config.recommendations.secret);
  const signals = new ChangeSignals();
  const discovery = new ProductDiscoveryService(repositories.products, repositories.interactions, activeModel, textEmbedder, signals);
  // Its own driver, also for reading which version is active: the cache's polls and loads are
  // background work, neither holding connections requests wait for nor counted in the round trips
  // per request that tests bound. Requests pass their own view of the version (ServingCache.listed).
  const backgroundDb = new Database(config.neo4j);
  // Fold-in lists search on the background driver too; the GAT is the request path's, loaded once.
  const servingCache = new ServingCache(
    new Neo4jServingCacheReads({
      products: new ProductRepository(backgroundDb),
      categories: new CategoryRepository(backgroundDb),
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
  const profiles = new ProfileService(repositories);
  // The model loads on first use, once per process; both services wait at the same gate.
  const languageModel = createLanguageModel(config.copy);
  const gate = new ModelGate(config.copy.maxQueue);
  const audience = new AudienceReader({ ...repositories, copy: new CopyRepository(db) }, profiles);
  const copy = new CopyService(audience, { model: languageModel, gate, config: config.copy }, signals);
  const assistant = new AssistantService(discovery, audience, { model: languageModel, gate, config: config.copy });
  const trending = new TrendingProducts(repositories.interactions, config.recommendations.trendingCacheMs);
  const experimentRepository = new ExperimentRepository(db);
  const experimentServing = new ExperimentServing(experimentRepository, config.experiments);
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
      new MemoryColdStartSource(servingCache, trending),
      new PublishedVectorSource(),
      new FoldInSource(activeModel, repositories.products),
      new WiderIndexSource(repositories.products, repositories.users),
      new ExactScanSource(repositories.products, repositories.users),
      new PopularFillSource(trending),
      new TrendingSource(trending),
    ],
    maxPageSize: config.graphql.maxPageSize,
    experiments: experimentServing,
  });
  const apiKeys = new ApiKeyService(new ApiKeyRepository(db), config.auth.keyCacheMs);
  const partners = new PartnerService(new PartnerRepository(db), apiKeys, config.partners.maxLinkBatch);
  const trackingLinks = new TrackingLinks(config.partners.linkKey);
  const partnerReportRepository = new PartnerReportRepository(db);
  const servedCounter = new ServedCounter(partnerReportRepository);
  const programFilter = new ProgramFilter(partners, repositories.products);
  const partnerRecommendations = new PartnerRecommendationService({
    partners,
    programFilter,
    recommendations,
    links: trackingLinks,
    served: servedCounter,
    maxMemberRefs: config.partners.maxMemberRefs,
    publicBaseUrl: config.partners.publicBaseUrl,
  });
  const partnerCopy = new PartnerCopyService({ partners, programFilter, copy, links: trackingLinks, publicBaseUrl: config.partners.publicBaseUrl });
  const clickRepository = new PartnerClickRepository(db);
  const clicks = new ClickService({
    links: trackingLinks,
    partners,
    dedupWindowMs: config.partners.clickDedupWindowMs,
    journal: new Journal<ClickRecord>({
      dir: config.partners.journalDir,
      name: 'clicks',
      flush: (records) => clickRepository.create(records, config.partners.clickDedupWindowMs),
      batchSize: config.partners.journalBatch,
      flushIntervalMs: config.partners.journalFlushMs,
      maxUnflushed: 1_000_000,
    }),
  });
  // /metrics reports the continuous trainer's last success wherever it ran (its cycles are in Neo4j).
  const trainerState = new TrainerRepository(db);
  setTrainerStatusSource(() => trainerState.lastCycle('trainer', ['published', 'kept']));
  setServingCacheSource(() => servingCache.status());
  return {
    config,
    db,
    repositories,
    apiKeys,
    catalog: new CatalogService(repositories.products, repositories.categories, repositories.users, config.graphql.maxPageSize, discovery, signals, () =>
      servingCache.catalogue(),
    ),
    interactions: new InteractionService(
      repositories.interactions,
      config.graphql.maxEventBatch,
      tokens,
      signals,
      config.events.journal
        ? (flush) =>
            new Journal<StoredEvent>({
              dir: config.events.journalDir,
              name: 'events',
              flush,
              batchSize: config.events.journalBatch,
              flushIntervalMs: config.events.journalFlushMs,
              maxUnflushed: config.events.maxUnflushed,
            })
        : null,
    ),
    users: new UserService(config.graphql.maxPageSize),
    profiles,
    textTopics: new TextTopicService(new TextTopicRepository(db)),
    segments: new SegmentService(repositories.segments, config.graphql.maxPageSize),
    segmentation: new SegmentationService({ ...repositories, textTopics: new TextTopicRepository(db) }, new ModelVersionRepository(db)),
    exploration: new ExplorationService(new ExplorationRepository(db, config.analyst.queryTimeoutMs), new ModelVersionRepository(db), config.analyst),
    activeModel,
    recommendations,
    discovery,
    tokens,
    signals,
    servingCache,
    copy,
    assistant,
    partners,
    partnerRecommendations,
    partnerCopy,
    servedCounter,
    trackingLinks,
    clicks,
    conversions: new ConversionService(new ConversionRepository(db), partners, config.partners.conversionLockMs),
    partnerReports: new PartnerReportService(partnerReportRepository, {
      minAudience: config.partners.minAudience,
      minEvents: config.partners.minEvents,
      epsilonPerQuery: config.partners.epsilonPerQuery,
      epsilonBudget: config.partners.epsilonBudget,
      secret: config.partners.linkKey,
    }),
    experimentServing,
    experiments: new ExperimentService(experimentRepository, experimentServing, activeModel, tokens, () => recommendations.sourceNames()),
    campaigns: new CampaignService(new CampaignRepository(db), (ids) => experimentRepository.existingSegments(ids), config.graphql.maxPageSize),
    async close() {
      await languageModel?.close();
      await experimentServing.stop();
      await servingCache.stop();
      await backgroundDb.close();
      await embedder?.close();
      await db.close();
    },
  };
}
