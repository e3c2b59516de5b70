/**
 * Personal recommendations (design §5), as one pipeline: the request's filter stages → the candidate
 * sources in order (candidate-source.ts) until one answers completely → MMR re-ranking → reasons →
 * a page with a signed recommendationId for attribution.
 */
import { performance } from 'node:perf_hooks';
import { BadInputError } from '../../errors';
import { encodeCursor } from '../../shared/cursor';
import type { PersonalRow } from '../../repositories/candidate-list.repository';
import type { ActiveModelService } from '../active-model.service';
import { pageSize } from '../../shared/page';
import type { CandidateSource, SourceAnswer } from './candidate-source';
import { composeFilter, FilterStage, requestedStages } from './filters';
import { RECENT_ITEMS, MAX_EXTRA_CANDIDATES } from './limits';
import type { ModelVectors } from './model-vectors';
import { PageKey, rank } from './ranking';
import type { Reasons } from './reasons';
import type { RecommendationTokens } from './recommendation-token';
import { RecommendationRequest, toRequest } from './request';
import type { PipelineOptions, RecommendationFilter, RecommendationPage, ServedExperiment, VariantAssigner } from './types';
import type { Vector } from '../../ml/vector';
import type { CandidateListRepository } from '../../repositories/candidate-list.repository';

export interface RecommendationServiceDeps {
  candidateLists: CandidateListRepository;
  active: ActiveModelService;
  tokens: RecommendationTokens;
  reasons: Reasons;
  vectors: ModelVectors;
  /** Asked in order; the last must always answer (trending). */
  sources: CandidateSource[];
  maxPageSize: number;
  /** Running experiments: which variant serves a user (absent: every request is served the default way). */
  experiments?: VariantAssigner;
}

export interface RecommendArgs {
  userId: string;
  first?: number | null;
  after?: string | null;
  filter?: RecommendationFilter | null;
  diversity?: number | null;
  /** The variant to serve by; undefined: ask the experiments (variantFor), null: none. */
  experiment?: ServedExperiment | null;
  /** Stages beyond the request's own filter (a partner program's restriction). */
  stages?: FilterStage[];
}

export class RecommendationService {
  constructor(private readonly deps: RecommendationServiceDeps) {}

  /** The candidate source names, in the default order (what an experiment's source order may name). */
  sourceNames(): string[] {
    return this.deps.sources.map((s) => s.name);
  }

  /**
   * A page for the user, served by their experiment variant when they are enrolled in one (every
   * caller, personal or partner, comes through here, so every path is served by the variant).
   */
  async recommend(args: RecommendArgs): Promise<RecommendationPage> {
    const experiments = this.deps.experiments;
    const experiment = args.experiment !== undefined ? args.experiment : ((await experiments?.variantFor(args.userId)) ?? null);
    if (!experiment || !experiments) return this.serve(args, experiment);
    const started = performance.now();
    let failed = true;
    try {
      const page = await this.serve(args, experiment);
      failed = false;
      return page;
    } catch (error) {
      // A bad cursor is the caller's mistake, not the variant's.
      if (error instanceof BadInputError) failed = false;
      throw error;
    } finally {
      experiments.served(experiment, args.userId, performance.now() - started, failed);
    }
  }

  private async serve(args: RecommendArgs, experiment: ServedExperiment | null): Promise<RecommendationPage> {
    const options: PipelineOptions = experiment?.options ?? {};
    const size = pageSize(args.first, this.deps.maxPageSize);
    const after = args.after ? pageKey(args.after) : null;
    const offset = after?.offset ?? 0;
    // Shapes and ranges (diversity 0..1, price bounds in order) are validated with the input types.
    const diversity = options.diversity ?? args.diversity ?? 0;
    const f = args.filter ?? {};
    // A version that no longer holds its slot (republished over) serves as the active one does.
    const model = (options.modelVersion ? await this.deps.active.servable(options.modelVersion) : null) ?? (await this.deps.active.current());
    const request = toRequest({
      userId: args.userId,
      model,
      // One item beyond the page, so hasNextPage can tell whether another page exists.
      need: offset + size + 1,
      diversity,
      filter: composeFilter([...requestedStages(args.userId, f), ...(args.stages ?? [])]),
    });
    const answer = await this.candidates(request, this.sourcesFor(options.sources));
    const rest = rank(answer.candidates, diversity, request.need, after);
    const page = rest.slice(0, size);
    // Lists the serving cache keeps name each entry's closest recent item already; others need the vectors.
    const unexplained = page.filter((c) => c.closest === undefined).map((c) => c.id);
    const vectors =
      model && answer.recent.length > 0 && unexplained.length > 0
        ? await this.deps.vectors.items(model, [...unexplained, ...answer.recent.map((r) => r.productId)])
        : new Map<string, Vector>();
    const reasons = await this.deps.reasons.explain({ page, recent: answer.recent, strategy: answer.strategy, vectors });
    return {
      recommendationId: this.deps.tokens.issue({
        userId: args.userId,
        modelVersion: model?.id ?? null,
        ...(experiment && !experiment.fallback ? { experiment: { id: experiment.id, variant: experiment.variant } } : {}),
      }),
      strategy: answer.strategy,
      modelVersion: model?.id ?? null,
      experiment,
      items: page.map((item, i) => ({
        productId: item.id,
        product: item.product,
        score: item.score,
        reasons: reasons[i],
        cursor: encodeCursor([offset + i + 1, item.score, item.id]),
      })),
      hasNextPage: rest.length > size,
      hasPreviousPage: offset > 0,
    };
  }

  /** Asks the sources in order until one answers completely; an incomplete answer is kept for the next ones to improve. */
  private async candidates(request: RecommendationRequest, sources: CandidateSource[]): Promise<SourceAnswer> {
    let user: Promise<PersonalRow | undefined> | undefined;
    const neo4jUser = (): Promise<PersonalRow | undefined> => (user ??= this.readUser(request));
    let answer: SourceAnswer | null = null;
    for (const source of sources) {
      answer = (await source.answer(request, { previous: answer, neo4jUser })) ?? answer;
      if (answer?.complete) return answer;
    }
    if (!answer) throw new Error('no candidate source answered: the pipeline must end with one that always does');
    return answer;
  }

  /** The named sources in the given order, trending last so that something always answers; all of them by default. */
  private sourcesFor(names: string[] | undefined): CandidateSource[] {
    if (!names) return this.deps.sources;
    const chosen = names.flatMap((name) => this.deps.sources.filter((s) => s.name === name));
    const last = this.deps.sources[this.deps.sources.length - 1];
    return chosen.includes(last) ? chosen : [...chosen, last];
  }

  /** The user's state, latest events and (for a current published vector) candidates, in one round trip. */
  private async readUser(request: RecommendationRequest): Promise<PersonalRow | undefined> {
    const model = request.model;
    if (!model) return undefined;
    return this.deps.candidateLists.personal(
      model.slot,
      {
        userId: request.userId,
        modelId: model.id,
        // Stored lists leave the user's own products out, so they cannot answer a request that keeps them.
        useLists: request.filter.excludeInteracted,
        since: model.trainedAt,
        recentLimit: RECENT_ITEMS,
        k: request.k,
        maxExtra: MAX_EXTRA_CANDIDATES,
        limit: request.limit,
        withVectors: request.withVectors,
      },
      request.filter,
    );
  }
}

/** A cursor this service issued: [position, score, id] of the page's last item. */
function pageKey(cursor: string): PageKey {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === 3) {
      const [offset, score, id] = parts as unknown[];
      if (Number.isInteger(offset) && (offset as number) >= 0 && typeof score === 'number' && typeof id === 'string') return { offset: offset as number, score, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadInputError(`"${cursor}" is not a cursor returned by this API`);
}
