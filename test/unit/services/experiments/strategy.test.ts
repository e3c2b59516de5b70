import { checkStrategy, pipelineOptions } from '../../../../src/services/experiments/strategy';

const SOURCES = ['memory-list', 'published-vector', 'exact-scan', 'trending'];

describe('experiment strategies', () => {
  it('become options of the one pipeline', () => {
    expect(pipelineOptions({})).toEqual({});
    expect(pipelineOptions({ trendingOnly: true })).toEqual({ sources: ['trending'] });
    expect(pipelineOptions({ sourceOrder: ['exact-scan', 'published-vector'], diversity: 0.3, modelVersion: 'v2' })).toEqual({
      sources: ['exact-scan', 'published-vector'],
      diversity: 0.3,
      modelVersion: 'v2',
    });
    expect(pipelineOptions({ diversity: 0 })).toEqual({ diversity: 0 });
  });

  it('refuses unknown sources, contradictions and diversity out of range, naming the variant', () => {
    expect(() => checkStrategy('B', { sourceOrder: ['nope'] }, SOURCES)).toThrow('variant "B": unknown candidate sources nope');
    expect(() => checkStrategy('B', { sourceOrder: ['trending'], trendingOnly: true }, SOURCES)).toThrow('exclude each other');
    expect(() => checkStrategy('B', { diversity: 2 }, SOURCES)).toThrow('diversity');
    expect(() => checkStrategy('B', { sourceOrder: ['exact-scan'], diversity: 1 }, SOURCES)).not.toThrow();
  });
});
