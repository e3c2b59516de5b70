import { clickIds, firstClicks } from '../../../src/domain/click-id';

const WINDOW = 30_000;

describe('click ids', () => {
  it('names repeats of a token within one window-long bucket alike, and a later bucket differently', () => {
    const a = clickIds('tok', 60_000, WINDOW);
    expect(clickIds('tok', 89_999, WINDOW)).toEqual(a);
    expect(clickIds('other', 60_000, WINDOW).id).not.toBe(a.id);
    const next = clickIds('tok', 90_000, WINDOW);
    expect(next.id).not.toBe(a.id);
    expect(next.previousId).toBe(a.id);
  });

  it('keeps the first click of a token per window within a batch, across a bucket edge too', () => {
    const click = (digest: string, at: number) => ({ ...clickIds(digest, at, WINDOW), at, digest });
    const kept = firstClicks([click('t', 89_000), click('t', 61_000), click('t', 90_500), click('u', 95_000), click('t', 91_500), click('t', 95_000)], WINDOW);
    // 61 s is first; 89 s shares its bucket; 90.5 s is in the next one but within 30 s of 61 s;
    // 91.5 s is 30.5 s after it (a new click), and 95 s shares 91.5 s's bucket.
    expect(kept.map((c) => [c.digest, c.at])).toEqual([
      ['t', 61_000],
      ['t', 91_500],
      ['u', 95_000],
    ]);
  });
});
