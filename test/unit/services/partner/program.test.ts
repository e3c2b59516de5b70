import { composeFilter, programStage, requestedStages } from '../../../../src/services/recommendation/filters';
import { commissionRate, landingUrl, Program, programAt, toProgramWrite } from '../../../../src/services/partner/program';

const program = (overrides: Partial<Program> = {}): Program => ({
  partnerId: 'p',
  version: 1,
  ...toProgramWrite({ defaultRate: 0.05, categoryRates: [{ categoryId: 'books', rate: 0.1 }, { categoryId: 'fiction', rate: 0.2 }], landingUrlTemplate: 'https://s.example/p/{productId}' }, 1000),
  ...overrides,
});

describe('programStage', () => {
  it('adds the program as one more stage: in stock, allowed categories intersected, allow and deny lists', () => {
    const filter = composeFilter([
      ...requestedStages('u1', { categoryIds: ['a', 'b', 'c'] }),
      programStage({ categoryIds: ['b', 'c', 'd'], productIds: ['x', 'y'], denyProductIds: ['y'] }),
    ]);
    expect(filter).toMatchObject({ userId: 'u1', inStockOnly: true, categoryIds: ['b', 'c'], productIds: ['x', 'y'], excludeIds: ['y'] });
  });

  it('keeps the request\'s own filter when the program allows everything', () => {
    const filter = composeFilter([...requestedStages('u1', { minPrice: 5 }), programStage({ categoryIds: null, productIds: null, denyProductIds: [] })]);
    expect(filter).toMatchObject({ categoryIds: null, productIds: null, excludeIds: [], minPrice: 5, inStockOnly: true });
  });

  it('allows nothing when the requested and allowed categories do not meet', () => {
    const filter = composeFilter([...requestedStages('u1', { categoryIds: ['a'] }), programStage({ categoryIds: ['b'], productIds: null, denyProductIds: [] })]);
    expect(filter.categoryIds).toEqual([]);
  });
});

describe('program terms', () => {
  it('pays the nearest category override, else the default, and nothing for products the program excludes', () => {
    expect(commissionRate(program(), 'p1', ['fiction', 'books'])).toBe(0.2);
    expect(commissionRate(program(), 'p1', ['poetry', 'books'])).toBe(0.1);
    expect(commissionRate(program(), 'p1', ['garden'])).toBe(0.05);
    expect(commissionRate(program({ denyProductIds: ['p1'] }), 'p1', ['books'])).toBe(0);
    expect(commissionRate(program({ allowCategoryIds: ['garden'] }), 'p1', ['books'])).toBe(0);
    expect(commissionRate(program({ allowProductIds: ['p2'] }), 'p1', ['books'])).toBe(0);
  });

  it('finds the version in force at a time', () => {
    const versions = [program({ version: 1, effectiveFrom: 100 }), program({ version: 2, effectiveFrom: 200 })];
    expect(programAt(versions, 50)).toBeUndefined();
    expect(programAt(versions, 150)?.version).toBe(1);
    expect(programAt(versions, 200)?.version).toBe(2);
  });

  it('fills the landing URL template and refuses one without {productId}', () => {
    expect(landingUrl(program(), 'a b')).toBe('https://s.example/p/a%20b');
    expect(() => toProgramWrite({ defaultRate: 0, landingUrlTemplate: 'https://s.example/' }, 0)).toThrow(/productId/);
  });
});
