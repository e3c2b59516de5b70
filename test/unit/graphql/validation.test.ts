import 'reflect-metadata';
import { validate } from 'class-validator';
import { graphql, GraphQLError, GraphQLSchema } from 'graphql';
import type { Context } from '../../../src/context';
import { createFormatError, validationProblems } from '../../../src/graphql/format-error';
import { createSchema } from '../../../src/graphql/schema';
import { createLogger } from '../../../src/observability/logger';
import { CoPurchaseArgs, NeighborhoodArgs, PathsArgs, SegmentScatterArgs } from '../../../src/resolvers/exploration/exploration.input';
import { ProductFilter, ProductInput } from '../../../src/resolvers/product/product.input';
import { PriceRange, RecommendationArgs, RecommendationFilterInput, SearchArgs } from '../../../src/resolvers/recommendation/recommendation.input';
import { UserInput } from '../../../src/resolvers/user/user.input';

/** An input object as type-graphql hands it over: an instance of its class (nested inputs too). */
const make = <T extends object>(cls: new () => T, fields: Partial<T>): T => Object.assign(new cls(), fields);
const priceRange = (min?: number, max?: number): RecommendationFilterInput => make(RecommendationFilterInput, { priceRange: make(PriceRange, { min, max }) });

/** The messages class-validator gives for an input, as the API words them; options as type-graphql sets them. */
async function problems<T extends object>(cls: new () => T, fields: Partial<T>): Promise<string[]> {
  const errors = await validate(make(cls, fields), { skipMissingProperties: true, forbidUnknownValues: false });
  return validationProblems(errors).map((p) => p.message);
}

describe('input validation rules', () => {
  it('keeps diversity within 0..1 and the page size non-negative', async () => {
    expect(await problems(RecommendationArgs, { diversity: 0.5, first: 10 })).toEqual([]);
    expect(await problems(RecommendationArgs, { diversity: 2 })).toEqual(['diversity must not be greater than 1']);
    expect(await problems(RecommendationArgs, { diversity: -0.1, first: -1 })).toEqual(['first must be at least 0; got -1', 'diversity must not be less than 0']);
  });

  it('refuses a price range whose max is below its min, naming the nested field', async () => {
    expect(await problems(RecommendationArgs, { filter: priceRange(5, 10) })).toEqual([]);
    expect(await problems(RecommendationArgs, { filter: priceRange(5) })).toEqual([]);
    expect(await problems(RecommendationArgs, { filter: priceRange(10, 5) })).toEqual(['filter.priceRange.max must not be less than min']);
    expect(await problems(ProductFilter, { minPrice: 3, maxPrice: 1 })).toEqual(['maxPrice must not be less than minPrice']);
  });

  it('refuses blank or overlong search text', async () => {
    expect(await problems(SearchArgs, { text: 'red shoes', first: 10 })).toEqual([]);
    expect(await problems(SearchArgs, { text: '   ', first: 10 })).toEqual(['text must not be empty']);
    expect(await problems(SearchArgs, { text: 'x'.repeat(1001), first: 10 })).toEqual(['text must be shorter than or equal to 1000 characters']);
  });

  it('needs ids and a title on products, a non-negative price and an ISO-8601 createdAt on users', async () => {
    expect(await problems(ProductInput, { id: 'p1', title: 'Lamp', price: 0, categoryIds: [] })).toEqual([]);
    expect(await problems(ProductInput, { id: '', title: 'Lamp', price: -1, categoryIds: [] })).toEqual(['id should not be empty', 'price must not be less than 0']);
    expect(await problems(ProductInput, { id: 'x'.repeat(201), title: 'Lamp', categoryIds: [] })).toEqual(['id must be shorter than or equal to 200 characters']);
    expect(await problems(UserInput, { id: 'u1', createdAt: '2024-05-01T10:00:00Z' })).toEqual([]);
    expect(await problems(UserInput, { id: 'u1', createdAt: 'yesterday' })).toEqual(['createdAt must be a valid ISO 8601 date string']);
  });

  it('bounds the analyst queries and says the whole rule', async () => {
    expect(await problems(NeighborhoodArgs, { nodeId: 'user:u1', depth: 3, limit: 100 })).toEqual([]);
    expect(await problems(NeighborhoodArgs, { nodeId: 'user:u1', depth: 4 })).toEqual(['depth must be an integer from 1 to 3; got 4']);
    expect(await problems(PathsArgs, { from: 'a', to: 'b', maxHops: 5, limit: 0 })).toEqual([
      'maxHops must be an integer from 1 to 4; got 5',
      'limit must be an integer from 1 to 50; got 0',
    ]);
    expect(await problems(CoPurchaseArgs, { productId: 'p', first: 101 })).toEqual(['first must be an integer from 1 to 100; got 101']);
    expect(await problems(SegmentScatterArgs, { segmentIds: Array.from({ length: 21 }, (_, i) => `s${i}`) })).toEqual(['segmentIds may name at most 20 segments']);
  });
});

describe('validation through the schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await createSchema();
  });

  // Validation runs before any resolver, so a context without services is enough for refused input.
  const context = { principal: { keyId: 'k', role: 'admin', partnerId: null } } as unknown as Context;
  const formatError = createFormatError(createLogger('silent'));

  async function firstError(source: string): Promise<ReturnType<typeof formatError>> {
    const result = await graphql({ schema, source, contextValue: context });
    const error = result.errors?.[0];
    if (!(error instanceof GraphQLError)) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
    return formatError(error.toJSON(), error);
  }

  it('answers BAD_USER_INPUT naming every bad field', async () => {
    const error = await firstError('{ recommendations(userId: "u", diversity: 2, filter: { priceRange: { min: 9, max: 1 } }) { recommendationId } }');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: ['filter.priceRange.max', 'diversity'] });
    expect(error.message).toBe('filter.priceRange.max must not be less than min; diversity must not be greater than 1');
  });

  it.each([
    ['search', '{ search(text: "lamp", first: 0) { score } }', 'first must be at least 1; got 0'],
    ['search', '{ search(text: "lamp", first: -3) { score } }', 'first must be at least 1; got -3'],
    ['products', '{ products(first: -1) { totalCount } }', 'first must be at least 0; got -1'],
    ['recommendations', '{ recommendations(userId: "u", first: -1) { recommendationId } }', 'first must be at least 0; got -1'],
    ['neighborhood', '{ neighborhood(nodeId: "user:u", limit: 0) { depth } }', 'limit must be at least 1; got 0'],
    ['modelVersions', '{ modelVersions(limit: -5) { id } }', 'limit must be an integer from 1 to 100; got -5'],
    ['coPurchase', '{ coPurchase(productId: "p", first: 0) { productId } }', 'first must be an integer from 1 to 100; got 0'],
    ['segmentScatter', '{ segmentScatter(limit: 0) { modelVersion } }', 'limit must be at least 1; got 0'],
  ])('refuses a numeric argument of %s out of range before it runs', async (_operation, source, message) => {
    const error = await firstError(source);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(message);
  });

  it('checks every item of a list argument', async () => {
    const error = await firstError('mutation { upsertProducts(products: [{ id: "ok", title: "A" }, { id: "p", title: "" }]) }');
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe('title should not be empty');
  });
});
