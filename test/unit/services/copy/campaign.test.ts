import { campaignRequests, OUTPUT_COLUMNS, resultRows } from '../../../../src/services/copy/campaign';
import type { CopyResult } from '../../../../src/services/copy/copy.service';

const defaults = { channel: 'SMS' as const, tone: 'FRIENDLY' as const, locale: 'en' as const, variants: 3 };

describe('campaign files', () => {
  it('turns rows into requests, with the command line filling what a row leaves out', () => {
    const requests = campaignRequests(
      [
        { product: 'p1', segment: 's1' },
        { product: 'p2', user: 'u1', channel: 'push', tone: 'urgent', locale: 'ZH', variants: '1' },
      ],
      defaults,
    );
    expect(requests).toEqual([
      { productId: 'p1', segmentId: 's1', userId: null, channel: 'SMS', tone: 'FRIENDLY', locale: 'en', variants: 3 },
      { productId: 'p2', segmentId: null, userId: 'u1', channel: 'PUSH', tone: 'URGENT', locale: 'zh', variants: 1 },
    ]);
  });

  it('names the line of a bad row', () => {
    expect(() => campaignRequests([{ product: 'p1', segment: 's1' }, { product: 'p2' }], defaults)).toThrow('line 3: give exactly one of segment and user');
    expect(() => campaignRequests([{ product: 'p1', segment: 's1', channel: 'FAX' }], defaults)).toThrow(/line 2: channel must be one of/);
    expect(() => campaignRequests([{ product: 'p1', user: 'u', variants: '0' }], defaults)).toThrow('line 2: variants must be a positive integer');
  });

  it('writes one row per variant with its failed checks', () => {
    const result = {
      productId: 'p1',
      audience: { kind: 'SEGMENT', id: 's1', label: null, interests: [], recentTitles: [] },
      channel: 'PUSH',
      tone: 'FRIENDLY',
      locale: 'en',
      fallbackReason: 'GUARDRAILS',
      variants: [
        {
          text: 'Say hello to Lamp',
          source: 'TEMPLATE',
          score: 5 / 6,
          model: null,
          meanLogProb: null,
          factsUsed: [{ kind: 'TITLE', value: 'Lamp' }],
          checks: [
            { check: 'LENGTH', passed: true, detail: null },
            { check: 'LOCALE', passed: false, detail: 'detected fr, expected en' },
          ],
        },
      ],
    } as unknown as CopyResult;
    const [row] = resultRows(result);
    expect(row).toHaveLength(OUTPUT_COLUMNS.length);
    expect(row).toEqual(['p1', 'SEGMENT:s1', 'PUSH', 'FRIENDLY', 'en', 1, 'TEMPLATE', 0.833, 'Say hello to Lamp', 'LOCALE: detected fr, expected en', 'TITLE=Lamp', '', 'GUARDRAILS']);
  });
});
