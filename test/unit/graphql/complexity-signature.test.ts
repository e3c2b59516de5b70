import { complexitySignature } from '../../../src/graphql/limits';

describe('complexitySignature', () => {
  it('keeps what the estimators read (numbers, list lengths) and drops strings', () => {
    expect(complexitySignature({ id: 'u1', first: 20 })).toBe(complexitySignature({ id: 'u2', first: 20 }));
    expect(complexitySignature({ id: 'u1', first: 20 })).not.toBe(complexitySignature({ id: 'u1', first: 21 }));
    expect(complexitySignature({ events: [{ eventId: 'a' }, { eventId: 'b' }] })).toBe(complexitySignature({ events: [{ eventId: 'c' }, { eventId: 'd' }] }));
    expect(complexitySignature({ events: [{ eventId: 'a' }] })).not.toBe(complexitySignature({ events: [{ eventId: 'a' }, { eventId: 'b' }] }));
    expect(complexitySignature({ filter: { inStockOnly: true } })).not.toBe(complexitySignature({ filter: { inStockOnly: false } }));
    expect(complexitySignature(undefined)).toBe(complexitySignature({}));
  });
});
