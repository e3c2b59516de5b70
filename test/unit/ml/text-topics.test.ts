import { classTfIdf, fitTextTopics, topicTerms } from '../../../src/ml/text-topics';

describe('topicTerms', () => {
  it('keeps the words that can name a topic, in English and in Chinese', () => {
    expect(topicTerms('The battery is GREAT, 30 hours and a quick charge!')).toEqual(['battery', 'great', 'hours', 'quick', 'charge']);
    expect(topicTerms('这款蓝牙耳机的降噪')).toEqual(expect.arrayContaining(['蓝牙', '耳机']));
    expect(topicTerms('这款蓝牙耳机的降噪')).not.toContain('的');
  });
});

describe('classTfIdf', () => {
  it('ranks a cluster\'s own words above words every cluster uses', () => {
    const [a, b] = classTfIdf([
      ['great', 'battery', 'battery', 'charge'],
      ['great', 'espresso', 'espresso', 'milk'],
    ]);
    expect(a[0].term).toBe('battery');
    expect(b[0].term).toBe('espresso');
    expect(a.find((t) => t.term === 'great')?.weight).toBeLessThan(a.find((t) => t.term === 'charge')?.weight ?? 0);
  });
});

describe('fitTextTopics', () => {
  it('clusters the vectors and labels each topic by its distinctive terms', () => {
    const battery = ['Great battery, lasts all week', 'Battery life is great', 'The battery charges fast', 'Battery holds charge well', 'great battery'];
    const coffee = ['Great espresso every morning', 'Espresso with rich crema', 'The milk frother makes great espresso', 'Espresso tastes great', 'strong espresso'];
    const texts = [...battery, ...coffee];
    // Two well separated groups in a 3-d space, as a sentence encoder would put them.
    const vectors = texts.map((_, i) => Float32Array.from(i < battery.length ? [1, 0.05 * (i % 3), 0] : [0, 0.05 * (i % 3), 1]));
    const model = fitTextTopics({ texts, vectors, seed: 1, maxK: 4 });
    expect(model.topics).toHaveLength(2);
    const topicOf = (i: number) => model.topics[model.assignments[i]];
    expect(topicOf(0).terms[0]).toBe('battery');
    expect(topicOf(7).terms[0]).toBe('espresso');
    expect(model.topics.map((t) => t.size).sort()).toEqual([5, 5]);
  });
});
