import { checkLength } from '../../../../src/services/copy/channel-limits';
import { templateVariant } from '../../../../src/services/copy/templates';
import type { ProductFacts } from '../../../../src/services/copy/copy-types';
import { linkInText, linkReserve, withLink } from '../../../../src/services/partner/copy-link';

const LINK = 'https://aff.example/r/AbCdEf0123456789_-AbCdEf0123456789_-AbCdEf01';
const product: ProductFacts = { id: 'p1', title: 'Toy Story (1995)', shortTitle: 'Toy Story', brand: 'Pixar', price: '12.99 USD', categories: ['Animation', 'Comedy'], description: null, reviews: [] };

describe('tracking links in copy', () => {
  it('goes at the end of SMS, email bodies and social posts, after one space', () => {
    for (const channel of ['SMS', 'EMAIL_BODY', 'SOCIAL'] as const) {
      expect(linkInText(channel)).toBe(true);
      expect(withLink('See Toy Story.', channel, LINK)).toBe(`See Toy Story. ${LINK}`);
      expect(linkReserve(channel, LINK)).toBe(LINK.length + 1);
    }
  });

  it('stays out of a push title and an email subject, which reserve nothing for it', () => {
    for (const channel of ['PUSH', 'EMAIL_SUBJECT'] as const) {
      expect(linkInText(channel)).toBe(false);
      expect(withLink('See Toy Story', channel, LINK)).toBe('See Toy Story');
      expect(linkReserve(channel, LINK)).toBe(0);
    }
  });

  it('counts the reserved link against the channel limit', () => {
    const text = 'x'.repeat(100);
    expect(checkLength(text, 'SMS').passed).toBe(true);
    expect(checkLength(text, 'SMS', linkReserve('SMS', LINK))).toMatchObject({ passed: false, detail: `100 + ${LINK.length + 1} (link) > 160` });
    expect(checkLength('x'.repeat(160 - LINK.length - 1), 'SMS', linkReserve('SMS', LINK)).passed).toBe(true);
    // Not GSM-7: 70 characters, link included.
    expect(checkLength('玩具总动员'.repeat(2), 'SMS', 61).passed).toBe(false);
  });

  it('makes templates pick a shorter form that leaves room for the link', () => {
    const input = { product, audienceId: 's1', channel: 'SMS' as const, tone: 'FRIENDLY' as const, locale: 'en' as const };
    for (let i = 0; i < 5; i++) {
      const reserve = linkReserve('SMS', LINK);
      const text = templateVariant({ ...input, reservedLength: reserve }, i);
      expect(checkLength(text, 'SMS', reserve).passed).toBe(true);
      expect([...withLink(text, 'SMS', LINK)].length).toBeLessThanOrEqual(160);
    }
  });
});
