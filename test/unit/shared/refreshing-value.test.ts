/** RefreshingValue: kept for its TTL, then served stale while one refresh runs; waited for past its bound. */
import { RefreshingValue } from '../../../src/shared/refreshing-value';

/** A load whose calls are counted and which resolves only when told to. */
function controlledLoad() {
  const pending: ((value: number) => void)[] = [];
  let calls = 0;
  const load = () =>
    new Promise<number>((resolve) => {
      calls += 1;
      pending.push(resolve);
    });
  return { load, calls: () => calls, resolve: (value: number) => pending.shift()?.(value) };
}

describe('RefreshingValue', () => {
  afterEach(() => jest.useRealTimers());

  it('makes concurrent first callers share one load', async () => {
    const { load, calls, resolve } = controlledLoad();
    const value = new RefreshingValue(load, 1000, 10000);
    const both = Promise.all([value.get(), value.get()]);
    resolve(7);
    expect(await both).toEqual([7, 7]);
    expect(calls()).toBe(1);
  });

  it('serves the kept value within its TTL, and past it while a single refresh runs', async () => {
    jest.useFakeTimers({ now: 0 });
    const { load, calls, resolve } = controlledLoad();
    const value = new RefreshingValue(load, 1000, 10000);
    const first = value.get();
    resolve(1);
    expect(await first).toBe(1);
    jest.setSystemTime(500);
    expect(await value.get()).toBe(1);
    expect(calls()).toBe(1);
    jest.setSystemTime(1500);
    // Expired: the old value at once, for every caller, with one refresh behind them.
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([1, 1, 1]);
    expect(calls()).toBe(2);
    resolve(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(await value.get()).toBe(2);
  });

  it('waits for the refresh once the value is older than its staleness bound', async () => {
    jest.useFakeTimers({ now: 0 });
    const { load, resolve } = controlledLoad();
    const value = new RefreshingValue(load, 1000, 10000);
    const first = value.get();
    resolve(1);
    await first;
    jest.setSystemTime(20000);
    const late = value.get();
    let settled = false;
    void late.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    resolve(3);
    expect(await late).toBe(3);
  });

  it('after invalidate, reads afresh and ignores what a refresh begun before it returns', async () => {
    jest.useFakeTimers({ now: 0 });
    const { load, calls, resolve } = controlledLoad();
    const value = new RefreshingValue(load, 1000, 10000);
    const first = value.get();
    resolve(1);
    await first;
    jest.setSystemTime(1500);
    await value.get(); // starts a background refresh (load 2)
    value.invalidate();
    const next = value.get(); // load 3
    expect(calls()).toBe(3);
    resolve(2); // the refresh from before invalidate
    resolve(4);
    expect(await next).toBe(4);
    expect(await value.get()).toBe(4);
  });
});
