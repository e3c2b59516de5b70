import { heldOutCounts, temporalSplit } from '../../../graph-models/data/split';
import { randomSnapshot, tinySnapshot } from './eval-fixtures';

const opts = { validationFraction: 0.1, testFraction: 0.2 };

describe('heldOutCounts', () => {
  it('keeps users with fewer than 3 events entirely in train', () => {
    expect(heldOutCounts(0, opts)).toEqual({ train: 0, validation: 0, test: 0 });
    expect(heldOutCounts(2, opts)).toEqual({ train: 2, validation: 0, test: 0 });
  });

  it('holds out at least one test and one validation event and rounds halves up', () => {
    expect(heldOutCounts(3, opts)).toEqual({ train: 1, validation: 1, test: 1 });
    expect(heldOutCounts(10, opts)).toEqual({ train: 7, validation: 1, test: 2 });
    expect(heldOutCounts(13, opts)).toEqual({ train: 9, validation: 1, test: 3 }); // 2.6 -> 3, 1.3 -> 1
    expect(heldOutCounts(15, opts)).toEqual({ train: 10, validation: 2, test: 3 }); // 1.5 -> 2
    expect(heldOutCounts(100, opts)).toEqual({ train: 70, validation: 10, test: 20 });
  });

  it('never empties train', () => {
    // 1.5 -> 2 each would leave -1 for train: validation gives way first.
    expect(heldOutCounts(3, { validationFraction: 0.5, testFraction: 0.5 })).toEqual({ train: 1, validation: 0, test: 2 });
  });
});

describe('temporalSplit', () => {
  it('puts no train event of a user after any of that user\'s held-out events', () => {
    const s = randomSnapshot(40, 30, 8, 7);
    const split = temporalSplit(s, opts);
    for (let u = 0; u < 40; u++) {
      const times = (events: Int32Array): number[] =>
        Array.from(events).filter((e) => s.eventUser[e] === u).map((e) => s.eventTime[e]);
      const train = times(split.train);
      const val = times(split.validation);
      const test = times(split.test);
      const maxTrain = Math.max(-Infinity, ...train);
      const maxVal = Math.max(-Infinity, ...val);
      expect(Math.min(Infinity, ...val)).toBeGreaterThanOrEqual(maxTrain);
      expect(Math.min(Infinity, ...test)).toBeGreaterThanOrEqual(Math.max(maxTrain, maxVal));
      expect({ train: train.length, validation: val.length, test: test.length }).toEqual(
        heldOutCounts(train.length + val.length + test.length, opts),
      );
    }
    expect(split.train.length + split.validation.length + split.test.length).toBe(s.eventUser.length);
  });

  it('breaks equal timestamps by item id, whatever order the events were read in', () => {
    const events = [
      { user: 0, item: 4, time: 5 },
      { user: 0, item: 3, time: 5 },
      { user: 0, item: 2, time: 5 },
      { user: 0, item: 1, time: 1 },
    ];
    const roles = (list: typeof events): Record<string, string[]> => {
      const s = tinySnapshot(1, 5, list);
      const split = temporalSplit(s, opts);
      const ids = (set: Int32Array): string[] => Array.from(set, (e) => s.itemIds[s.eventItem[e]]).sort();
      return { train: ids(split.train), validation: ids(split.validation), test: ids(split.test) };
    };
    expect(roles(events)).toEqual({ train: ['i1', 'i2'], validation: ['i3'], test: ['i4'] });
    expect(roles([...events].reverse())).toEqual(roles(events));
    expect(roles([events[2], events[0], events[3], events[1]])).toEqual(roles(events));
  });

  it('drops held-out items the user already has from the relevant sets', () => {
    const s = tinySnapshot(1, 4, [
      { user: 0, item: 0, time: 1 },
      { user: 0, item: 1, time: 2 },
      { user: 0, item: 2, time: 3 },
      { user: 0, item: 0, time: 4 }, // validation, but item 0 is in train
      { user: 0, item: 1, time: 5 }, // test, item 1 is in train
      { user: 0, item: 3, time: 6 }, // test
    ]);
    const split = temporalSplit(s, { validationFraction: 0.2, testFraction: 0.3 });
    expect(Array.from(split.validation)).toEqual([3]);
    expect(Array.from(split.test)).toEqual([4, 5]);
    expect(Array.from(split.validationItems.indices)).toEqual([]);
    expect(Array.from(split.testItems.indices)).toEqual([3]);
    expect(Array.from(split.knownBeforeTest.indices)).toEqual([0, 1, 2]);
  });
});
