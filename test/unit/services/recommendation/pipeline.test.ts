/**
 * The recommendation pipeline's loop (RecommendationService): sources asked in order, the first
 * complete answer served, an incomplete one handed on, Neo4j's user state read once per request;
 * then MMR, the page, and one reason per item.
 */
import type { PersonalRow } from '../../../../src/repositories/candidate-list.repository';
import type { CandidateListRepository } from '../../../../src/repositories/candidate-list.repository';
import type { ActiveModel, ActiveModelService } from '../../../../src/services/active-model.service';
import type { CandidateSource, SourceAnswer, SourceContext } from '../../../../src/services/recommendation/candidate-source';
import type { ModelVectors } from '../../../../src/services/recommendation/model-vectors';
import type { Reasons } from '../../../../src/services/recommendation/reasons';
import { RecommendationTokens } from '../../../../src/services/recommendation/recommendation-token';
import { RecommendationService } from '../../../../src/services/recommendation/recommendation.service';
import type { RecommendationRequest } from '../../../../src/services/recommendation/request';

const model: ActiveModel = { id: 'v1', slot: 'a', dim: 2, trainedAt: 1000, artifactDir: null, listSize: 64, newProducts: 0 };
const candidates = (ids: string[]) => ids.map((id, i) => ({ id, score: 1 - i / 100, vector: null, product: null }));

/** A source that records being asked and answers as told (null: pass). */
function source(name: string, asked: string[], reply: (context: SourceContext) => Promise<SourceAnswer | null>): CandidateSource {
  return {
    name,
    accepts: () => true,
    answer: async (_request: RecommendationRequest, context: SourceContext) => {
      asked.push(name);
      return reply(context);
    },
  };
}

function service(sources: CandidateSource[], personal: () => Promise<PersonalRow | undefined> = async () => undefined) {
  const reasons = { explain: async ({ page }: { page: unknown[] }) => page.map(() => [{ kind: 'MATCHES_PROFILE', text: 'x', productId: null }]) } as unknown as Reasons;
  return new RecommendationService({
    candidateLists: { personal } as unknown as CandidateListRepository,
    active: { current: async () => model } as unknown as ActiveModelService,
    tokens: new RecommendationTokens('secret'),
    reasons,
    vectors: { items: async () => new Map() } as unknown as ModelVectors,
    sources,
    maxPageSize: 100,
  });
}

describe('RecommendationService pipeline', () => {
  it('serves the first complete answer and asks no later source', async () => {
    const asked: string[] = [];
    const page = await service([
      source('memory', asked, async () => null),
      source('neo4j', asked, async () => ({ strategy: 'MODEL', candidates: candidates(['a', 'b', 'c']), recent: [], vector: null, complete: true })),
      source('trending', asked, async () => ({ strategy: 'TRENDING', candidates: candidates(['t']), recent: [], vector: null, complete: true })),
    ]).recommend({ userId: 'u1', first: 2 });
    expect(asked).toEqual(['memory', 'neo4j']);
    expect(page.strategy).toBe('MODEL');
    expect(page.items.map((i) => i.productId)).toEqual(['a', 'b']);
    expect(page.hasNextPage).toBe(true);
    expect(page.items.every((i) => i.reasons.length === 1)).toBe(true);
  });

  it('hands an incomplete answer to the next sources and keeps it when none improves it', async () => {
    const asked: string[] = [];
    const seen: (SourceAnswer | null)[] = [];
    const short: SourceAnswer = { strategy: 'FOLD_IN', candidates: candidates(['a']), recent: [], vector: [1, 0], complete: false };
    const page = await service([
      source('fold-in', asked, async () => short),
      source('scan', asked, async (context) => {
        seen.push(context.previous);
        return null;
      }),
    ]).recommend({ userId: 'u1', first: 5 });
    expect(asked).toEqual(['fold-in', 'scan']);
    expect(seen).toEqual([short]);
    expect(page.strategy).toBe('FOLD_IN');
    expect(page.items.map((i) => i.productId)).toEqual(['a']);
    expect(page.hasNextPage).toBe(false);
  });

  it('reads the user from Neo4j once, whichever sources ask', async () => {
    let reads = 0;
    const user: PersonalRow = { hasVector: true, fromList: true, freshEvents: 0, events: 1, recent: [], candidates: [] };
    const ask = (asked: string[], name: string) =>
      source(name, asked, async (context) => {
        await context.neo4jUser();
        return null;
      });
    const asked: string[] = [];
    await service([ask(asked, 'one'), ask(asked, 'two'), source('last', asked, async () => ({ strategy: 'TRENDING', candidates: [], recent: [], vector: null, complete: true }))], async () => {
      reads += 1;
      return user;
    }).recommend({ userId: 'u1' });
    expect(asked).toEqual(['one', 'two', 'last']);
    expect(reads).toBe(1);
  });

  it('pages with cursors: the second page starts where the first ended', async () => {
    const all = candidates(['a', 'b', 'c', 'd', 'e']);
    const svc = service([source('all', [], async () => ({ strategy: 'MODEL', candidates: all, recent: [], vector: null, complete: true }))]);
    const first = await svc.recommend({ userId: 'u1', first: 2 });
    const second = await svc.recommend({ userId: 'u1', first: 2, after: first.items[1].cursor });
    expect(second.items.map((i) => i.productId)).toEqual(['c', 'd']);
    expect(second.hasPreviousPage).toBe(true);
  });

  describe('served by an experiment variant', () => {
    const complete = (ids: string[], strategy: 'MODEL' | 'TRENDING' = 'MODEL') => async () => ({ strategy, candidates: candidates(ids), recent: [], vector: null, complete: true });
    const variant = (options: object, fallback = false) => ({ id: 'exp1', variant: 'B', fallback, options });

    it('asks the sources in the order the variant names, trending last', async () => {
      const asked: string[] = [];
      const svc = service([source('memory-list', asked, async () => null), source('published-vector', asked, async () => null), source('trending', asked, complete(['t'], 'TRENDING'))]);
      const page = await svc.recommend({ userId: 'u1', experiment: variant({ sources: ['published-vector'] }) });
      expect(asked).toEqual(['published-vector', 'trending']);
      expect(page.experiment).toEqual(expect.objectContaining({ id: 'exp1', variant: 'B' }));
      asked.length = 0;
      await svc.recommend({ userId: 'u1', experiment: variant({ sources: ['trending'] }) });
      expect(asked).toEqual(['trending']);
    });

    it('signs the experiment and variant into the recommendationId, but not for a fallback', async () => {
      const tokens = new RecommendationTokens('secret');
      const svc = service([source('all', [], complete(['a']))]);
      const page = await svc.recommend({ userId: 'u1', experiment: variant({}) });
      expect(tokens.verify(page.recommendationId)?.experiment).toEqual({ id: 'exp1', variant: 'B' });
      const fallback = await svc.recommend({ userId: 'u1', experiment: variant({}, true) });
      expect(tokens.verify(fallback.recommendationId)?.experiment).toBeUndefined();
      const plain = await svc.recommend({ userId: 'u1' });
      expect(plain.experiment).toBeNull();
    });

    it('asks the assigner for the variant and reports each request with its outcome', async () => {
      const served: { userId: string; failed: boolean }[] = [];
      const svc = new RecommendationService({
        ...(service([source('all', [], complete(['a', 'b']))]) as unknown as { deps: ConstructorParameters<typeof RecommendationService>[0] }).deps,
        experiments: {
          variantFor: async (userId) => (userId === 'enrolled' ? variant({ diversity: 0 }) : null),
          served: (_e, userId, ms, failed) => {
            expect(ms).toBeGreaterThanOrEqual(0);
            served.push({ userId, failed });
          },
        },
      });
      expect((await svc.recommend({ userId: 'enrolled' })).experiment?.variant).toBe('B');
      expect((await svc.recommend({ userId: 'other' })).experiment).toBeNull();
      await expect(svc.recommend({ userId: 'enrolled', after: 'not-a-cursor' })).rejects.toThrow('not a cursor');
      expect(served).toEqual([
        { userId: 'enrolled', failed: false },
        { userId: 'enrolled', failed: false },
      ]);
    });
  });
});
