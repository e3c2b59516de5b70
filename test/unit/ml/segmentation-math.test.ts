import { chooseK, cluster } from '../../../src/ml/kmeans';
import { segmentLabels, activityWord, topicThatSaysMore, MIN_TOPIC_SHARE } from '../../../src/ml/segment-label';
import { silhouette } from '../../../src/ml/silhouette';

const blobs = [
  [0, 0], [0, 1], [1, 0], [1, 1],
  [10, 10], [10, 11], [11, 10], [11, 11],
  [20, 0], [20, 1], [21, 0],
];

describe('silhouette', () => {
  it('matches a hand-computed value on four points', () => {
    // Clusters {0, 1} and {10, 12} on a line: a(0)=1, b(0)=11 -> 10/11; a(1)=1, b(1)=10 -> 9/10;
    // a(10)=2, b(10)=9.5 -> 7.5/9.5; a(12)=2, b(12)=11.5 -> 9.5/11.5.
    const expected = (10 / 11 + 9 / 10 + 7.5 / 9.5 + 9.5 / 11.5) / 4;
    expect(silhouette([[0], [1], [10], [12]], [0, 0, 1, 1])).toBeCloseTo(expected, 10);
  });

  it('is 0 for a single cluster', () => {
    expect(silhouette([[0], [1]], [0, 0])).toBe(0);
  });
});

describe('k-means wrapper', () => {
  it('separates well-apart blobs, largest cluster first', () => {
    const result = cluster(blobs, 3, { seed: 7 });
    expect(new Set(result.assignments.slice(0, 4)).size).toBe(1);
    expect(new Set(result.assignments.slice(4, 8)).size).toBe(1);
    expect(result.assignments[0]).not.toBe(result.assignments[4]);
    expect(result.assignments[8]).toBe(2); // the 3-point blob is the smallest
  });

  it('chooses k = 3 for three blobs by silhouette, deterministically by seed', () => {
    const a = chooseK(blobs, { minK: 2, maxK: 6, seed: 3 });
    const b = chooseK(blobs, { minK: 2, maxK: 6, seed: 3 });
    expect(a.k).toBe(3);
    expect(a.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    expect(a.silhouette).toBeGreaterThan(0.8);
    expect(b.assignments).toEqual(a.assignments);
  });
});

describe('segment labels', () => {
  const population = new Map([['Drama', 0.3], ['Comedy', 0.2], ['Horror', 0.05]]);

  it('names the activity from the RFM quintiles', () => {
    expect(activityWord(1.5, 4)).toBe('lapsed');
    expect(activityWord(4, 4.2)).toBe('frequent');
    expect(activityWord(4.5, 1.5)).toBe('new');
    expect(activityWord(3, 3)).toBe('occasional');
  });

  it('picks the most distinctive large category and keeps labels unique', () => {
    const labels = segmentLabels(
      [
        { recencyQuintile: 4, frequencyQuintile: 4.5, categoryShares: [{ name: 'Drama', share: 0.3 }, { name: 'Horror', share: 0.2 }] },
        { recencyQuintile: 4, frequencyQuintile: 4.5, categoryShares: [{ name: 'Drama', share: 0.35 }, { name: 'Horror', share: 0.15 }] },
        { recencyQuintile: 1.2, frequencyQuintile: 2, categoryShares: [{ name: 'Comedy', share: 0.5 }, { name: 'Drama', share: 0.3 }] },
      ],
      population,
    );
    expect(labels).toEqual(['frequent horror fans', 'frequent horror & drama fans', 'lapsed comedy fans']);
  });

  it('writes Chinese labels for a Chinese catalogue, naming the leaf category', () => {
    const zh = new Map([
      ['数码电子 > 耳机', 0.2],
      ['美妆个护 > 护肤', 0.3],
    ]);
    const labels = segmentLabels(
      [
        { recencyQuintile: 4, frequencyQuintile: 4.5, categoryShares: [{ name: '数码电子 > 耳机', share: 0.6 }] },
        { recencyQuintile: 1.2, frequencyQuintile: 2, categoryShares: [{ name: '美妆个护 > 护肤', share: 0.5 }] },
      ],
      zh,
    );
    expect(labels).toEqual(['常购耳机的顾客', '流失护肤的顾客']);
  });
});

describe('segment labels from text topics', () => {
  const categories = new Map([['Drama', 0.3], ['Horror', 0.1]]);
  const topics = new Map([['pixar · toys · friendship', 0.05], ['twist · ending', 0.2]]);
  // Horror's lift here is 0.2 / 0.1 = 2.
  const base = { recencyQuintile: 4, frequencyQuintile: 4.5, categoryShares: [{ name: 'Drama', share: 0.3 }, { name: 'Horror', share: 0.2 }] };

  it('names the segment by a topic whose lift is above the best category lift', () => {
    // pixar: 0.25 / 0.05 = 5 > 2.
    const segment = { ...base, topicShares: [{ label: 'pixar · toys · friendship', share: 0.25 }, { label: 'twist · ending', share: 0.2 }] };
    expect(topicThatSaysMore(segment, categories, topics)).toEqual({ label: 'pixar · toys · friendship', lift: 5, categoryLift: 2 });
    expect(segmentLabels([segment], categories, topics)).toEqual(['frequent fans of pixar & toys']);
  });

  it('keeps the category when no topic lifts more than it', () => {
    // twist: 0.3 / 0.2 = 1.5 < 2.
    const segment = { ...base, topicShares: [{ label: 'twist · ending', share: 0.3 }] };
    expect(topicThatSaysMore(segment, categories, topics)).toBeNull();
    expect(segmentLabels([segment], categories, topics)).toEqual(['frequent horror fans']);
  });

  it('ignores a topic below the minimum share however high its lift', () => {
    const segment = { ...base, topicShares: [{ label: 'pixar · toys · friendship', share: MIN_TOPIC_SHARE / 2 }] };
    expect(topicThatSaysMore(segment, categories, topics)).toBeNull();
    expect(segmentLabels([segment], categories, topics)).toEqual(['frequent horror fans']);
  });

  it('falls back to categories when two segments would share a topic label', () => {
    const segment = { ...base, topicShares: [{ label: 'pixar · toys · friendship', share: 0.3 }] };
    expect(segmentLabels([segment, segment], categories, topics)).toEqual(['frequent fans of pixar & toys', 'frequent horror fans']);
  });

  it('writes a Chinese topic label for Chinese topics', () => {
    const zhTopics = new Map([['降噪 · 续航 · 音质', 0.05]]);
    const segment = { recencyQuintile: 4, frequencyQuintile: 4.5, categoryShares: [{ name: '数码电子 > 耳机', share: 0.6 }], topicShares: [{ label: '降噪 · 续航 · 音质', share: 0.4 }] };
    expect(segmentLabels([segment], new Map([['数码电子 > 耳机', 0.3]]), zhTopics)).toEqual(['常购关注「降噪 · 续航」的顾客']);
  });
});
