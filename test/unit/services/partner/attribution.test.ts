import { attribute } from '../../../../src/services/partner/attribution';
import { Program, toProgramWrite } from '../../../../src/services/partner/program';

const DAY = 86_400_000;
const program = (partnerId: string, version: number, effectiveFrom: number, extra: Partial<Program> = {}): Program => ({
  partnerId,
  version,
  ...toProgramWrite({ defaultRate: 0.1, attributionWindowDays: 7, landingUrlTemplate: 'https://s.example/{productId}' }, effectiveFrom),
  ...extra,
});
const click = (clickId: string, partnerId: string, at: number) => ({ clickId, partnerId, at, recommendationId: null });

describe('attribute', () => {
  const programs = new Map([
    ['a', [program('a', 1, 0), program('a', 2, 5 * DAY, { defaultRate: 0.2 })]],
    ['b', [program('b', 1, 0, { attribution: 'FIRST_CLICK' })]],
  ]);

  it('pays the last click within its window, at the terms in force at that click', () => {
    const got = attribute([click('a1', 'a', 1 * DAY), click('a2', 'a', 4 * DAY)], programs, 6 * DAY);
    expect(got?.click.clickId).toBe('a2');
    expect(got?.program.version).toBe(1);
  });

  it('ignores clicks past their window and after the order', () => {
    expect(attribute([click('a1', 'a', 1 * DAY)], programs, 9 * DAY)).toBeNull();
    expect(attribute([click('a1', 'a', 10 * DAY)], programs, 9 * DAY)).toBeNull();
  });

  it('lets the last click choose the partner and a FIRST_CLICK program pay its first click', () => {
    const got = attribute([click('b1', 'b', 2 * DAY), click('a1', 'a', 3 * DAY), click('b2', 'b', 4 * DAY)], programs, 5 * DAY);
    expect(got?.click.clickId).toBe('b1');
    const lastA = attribute([click('b1', 'b', 2 * DAY), click('a1', 'a', 4.5 * DAY)], programs, 5 * DAY);
    expect(lastA?.click.clickId).toBe('a1');
  });
});
