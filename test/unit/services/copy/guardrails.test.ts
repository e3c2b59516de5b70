import { DEFAULT_BANNED_WORDS } from '../../../../src/services/copy/banned-claims';
import { checkLength, isGsm7 } from '../../../../src/services/copy/channel-limits';
import { Channel, factsOf, Locale, ProductFacts, shortTitleOf } from '../../../../src/services/copy/copy-types';
import { checkGrounding } from '../../../../src/services/copy/grounding';
import { checkNamesProduct, checkPersonalData, GuardrailContext, guardrailScore, runGuardrails } from '../../../../src/services/copy/guardrails';
import { checkLocale } from '../../../../src/services/copy/locale-check';
import { checkCitations } from '../../../../src/services/copy/assistant.service';

const product: ProductFacts = {
  id: 'p1',
  title: 'Toy Story (1995)',
  shortTitle: shortTitleOf('Toy Story (1995)'),
  brand: 'Pixar',
  price: '12.99 USD',
  categories: ['Animation', 'Comedy'],
  description: 'A toy cowboy meets a space ranger.',
  reviews: [],
};
const facts = factsOf(product);

function ctx(channel: Channel, locale: Locale = 'en', personal: string[] = []): GuardrailContext {
  return { channel, locale, product, facts, bannedWords: DEFAULT_BANNED_WORDS, personal };
}

const failed = (text: string, c: GuardrailContext) => runGuardrails(text, c).filter((r) => !r.passed).map((r) => r.check);

describe('copy guardrails', () => {
  it('passes grounded copy in every check', () => {
    const checks = runGuardrails('Just for you: Toy Story (1995) - a warm pick for Comedy fans. Only 12.99 USD. Have a look.', ctx('SMS'));
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    expect(guardrailScore(checks)).toBe(1);
  });

  it('fails an over-long SMS, and counts 70 characters when the text is not GSM-7', () => {
    const long = `Toy Story (1995) is here - ${'a warm pick for you '.repeat(8)}`;
    expect(checkLength(long, 'SMS')).toMatchObject({ passed: false });
    expect(isGsm7('今晚看 Toy Story')).toBe(false);
    const zh = `为你精选：Toy Story (1995)，${'值得一看的好选择'.repeat(7)}`;
    expect([...zh].length).toBeLessThan(160);
    expect(checkLength(zh, 'SMS')).toMatchObject({ passed: false, detail: expect.stringContaining('> 70 (not GSM-7)') });
    expect(checkLength('Toy Story (1995): see it tonight with the whole family', 'PUSH').passed).toBe(false);
    expect(checkLength('x'.repeat(79), 'EMAIL_SUBJECT').passed).toBe(false);
    expect(checkLength('x'.repeat(78), 'EMAIL_SUBJECT').passed).toBe(true);
  });

  it('fails an invented price, percentage, date, discount or big number, and passes the facts own numbers', () => {
    expect(checkGrounding('Toy Story (1995) now 9.99 USD', facts)).toMatchObject({ passed: false, detail: expect.stringContaining('"9.99"') });
    expect(checkGrounding('Toy Story: 20% off', facts).passed).toBe(false);
    expect(checkGrounding('Toy Story, this Friday only', facts).passed).toBe(false);
    expect(checkGrounding('Toy Story sold over twenty million copies', facts).passed).toBe(false);
    expect(checkGrounding('Toy Story is on sale', facts).passed).toBe(false);
    expect(checkGrounding('Toy Story for $5', facts).passed).toBe(false);
    expect(checkGrounding('玩具总动员 打五折', facts).passed).toBe(false);
    expect(checkGrounding('Toy Story (1995), 12.99 USD', facts).passed).toBe(true);
  });

  it('fails banned claims unless the catalogue itself makes them', () => {
    expect(failed('Toy Story (1995): the best film, guaranteed. Have a look.', ctx('SMS'))).toContain('BANNED_CLAIM');
    const willy = { ...product, title: 'Free Willy (1993)', shortTitle: 'Free Willy' };
    const willyCtx = { ...ctx('SMS'), product: willy, facts: factsOf(willy) };
    expect(failed('Say hello to Free Willy - a warm pick for Comedy fans. Have a look.', willyCtx)).not.toContain('BANNED_CLAIM');
    expect(failed('Say hello to Free Willy - and get it for free. Have a look.', willyCtx)).not.toContain('BANNED_CLAIM');
    expect(failed('为你精选：Toy Story，免费观看。', ctx('SMS', 'zh'))).toContain('BANNED_CLAIM');
  });

  it('fails text in the wrong language, judged without the product names', () => {
    expect(checkLocale('Just for you: Toy Story (1995) - a warm pick for Comedy fans.', 'en', facts).passed).toBe(true);
    expect(checkLocale('为你精选：Toy Story (1995)，喜欢Comedy的你不要错过。', 'zh', facts).passed).toBe(true);
    expect(checkLocale('Just for you: Toy Story (1995) - a warm pick for Comedy fans.', 'zh', facts).passed).toBe(false);
    expect(checkLocale('为你精选：Toy Story (1995)，喜欢Comedy的你不要错过。', 'en', facts).passed).toBe(false);
    expect(checkLocale("Ce soir, découvrez Toy Story avec toute la famille, c'est un film très drôle.", 'en', facts).passed).toBe(false);
    expect(checkLocale('Toy Story (1995)', 'en', facts)).toMatchObject({ passed: false, detail: 'no text besides the product facts' });
  });

  it('fails copy that names neither title nor brand', () => {
    expect(checkNamesProduct('A warm pick for Comedy fans. Have a look.', product).passed).toBe(false);
    expect(checkNamesProduct('Pixar brings you a warm pick.', product).passed).toBe(true);
    expect(checkNamesProduct('toy story is here', product).passed).toBe(true);
  });

  it('fails copy that carries the user id, an email address or a phone number', () => {
    expect(checkPersonalData('Hey u-4711, Toy Story is here', ['u-4711'], facts).passed).toBe(false);
    expect(checkPersonalData('Toy Story: write to jane.doe@example.com', [], facts).passed).toBe(false);
    expect(checkPersonalData('Toy Story: call +1 555 123 4567', [], facts).passed).toBe(false);
    expect(checkPersonalData('Toy Story is here', ['u-4711'], facts).passed).toBe(true);
  });

  it('fails an assistant answer citing a product that is not among the candidates, or none', () => {
    expect(checkCitations('Try Toy Story [p1].', ['p1', 'p2']).passed).toBe(true);
    expect(checkCitations('Try Toy Story [p1] and Cars [p9].', ['p1', 'p2'])).toMatchObject({ passed: false, detail: expect.stringContaining('p9') });
    expect(checkCitations('Try Toy Story.', ['p1']).passed).toBe(false);
    expect(checkCitations('You could try Heima (2007) [p1], and Heima (2007) [p1].', ['p1'])).toEqual({ check: 'CITATIONS', passed: false, detail: 'cites p1 twice' });
  });
});
