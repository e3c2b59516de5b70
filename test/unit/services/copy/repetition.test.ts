import { DEFAULT_BANNED_WORDS } from '../../../../src/services/copy/banned-claims';
import { CHANNELS, factsOf, LOCALES, ProductFacts, shortTitleOf, TONES } from '../../../../src/services/copy/copy-types';
import { guardrailScore, runGuardrails } from '../../../../src/services/copy/guardrails';
import { checkRepetition, MAX_REPEATED_PAIR_SHARE, wordsWithFacts } from '../../../../src/services/copy/repetition';
import { templateVariant } from '../../../../src/services/copy/templates';

function product(title: string, categories: string[]): ProductFacts {
  return { id: 'rep-p1', title, shortTitle: shortTitleOf(title), brand: null, price: null, categories, description: null, reviews: [] };
}

const rent = product('Rent (2005)', ['Drama', 'Musical', 'Romance']);
const joan = product("The Passion of Joan of Arc (Passion de Jeanne d'Arc, La) (1928)", ['Drama']);
const toyStory = product('Toy Story (1995)', ['Adventure', 'Animation', 'Children', 'Comedy']);

describe('checkRepetition', () => {
  it('passes ordinary copy, in English and Chinese', () => {
    const good: [string, 'en' | 'zh', ProductFacts][] = [
      ['Do not miss out on Rent (2005) - the Drama pick of the moment. Grab it now.', 'en', rent],
      ['Take a look at Toy Story (1995) - your next Comedy favourite. Take a look today.', 'en', toyStory],
      ['Ready for some fun with Toy Story? A toy cowboy and a space ranger learn to be friends, and the whole family laughs along. Dive in now!', 'en', toyStory],
      ['Last call for Rent (2005). You will find this film in a genres of drama. It is a love story set in New York. Check it out today.', 'en', rent],
      ['为你精选：玩具总动员，值得一看的好选择。现在就去看看吧。', 'zh', product('玩具总动员', ['动画', '喜剧'])],
      ['这部电影讲述了玩具们的冒险故事，适合全家一起观看，快来了解一下。', 'zh', product('玩具总动员', ['动画', '喜剧'])],
    ];
    for (const [text, locale, p] of good) expect({ text, result: checkRepetition(text, locale, factsOf(p)) }).toEqual({ text, result: { check: 'REPETITION', passed: true, detail: null } });
  });

  it('fails a word repeated in a row, as the small model writes it', () => {
    const text = 'Last call for Rent (2005). It is the this for the in in in in in in night. Get it now.';
    expect(checkRepetition(text, 'en', factsOf(rent))).toEqual({ check: 'REPETITION', passed: false, detail: '"in" 6 times in a row' });
    expect(checkRepetition('You could try Explorers (1985) [ml-m7743]. It is a science science science science.', 'en', [])).toMatchObject({ passed: false });
    expect(checkRepetition('为你推荐：玩具总动员，好看好看好看好看好看。', 'zh', factsOf(product('玩具总动员', [])))).toMatchObject({ passed: false });
  });

  it('fails the same phrase repeated, in English and Chinese', () => {
    const loop = 'You could try Friends and Family (2001) [ml-m6369]. It is a one of the one of the one of the one.';
    expect(checkRepetition(loop, 'en', factsOf(product('Friends and Family (2001)', ['Comedy'])))).toMatchObject({ passed: false, detail: '"one of the" twice in a row' });
    const nightmares = product('Nightmares (1983)', ['Horror']);
    expect(checkRepetition('You could try Nightmares (1983) [ml-m2855]. You will find that the film is a in on in on in one.', 'en', factsOf(nightmares))).toMatchObject({ passed: false, detail: '"in on" twice in a row' });
    const thrill = product('The Thrill of It All (1963)', ['Comedy']);
    const twice = 'Last call for The Thrill of It All (1963). This is the comedy of your day. You will find it in the comedy of your day. Get it now.';
    expect(checkRepetition(twice, 'en', factsOf(thrill))).toMatchObject({ passed: false, detail: '"the comedy of your" twice' });
    const stories = product('New York Stories (1989)', ['Comedy', 'Drama']);
    expect(checkRepetition('You will find the new york stories of new york stories of new york.', 'en', factsOf(stories))).toMatchObject({ passed: false });
    const joanText = "Now presenting The Passion of Joan of Arc (Passion de Jeanne d'Arc, La) (1928). This is a in smart for the drama genres. It is a in the smart of the smart for the drama genres. Discover more.";
    expect(checkRepetition(joanText, 'en', factsOf(joan))).toMatchObject({ passed: false, detail: '"smart for the drama" twice' });
    expect(checkRepetition('A film in a film of a film for a film.', 'en', [])).toMatchObject({ passed: false, detail: '3 of 11 word pairs repeated' });
    expect(checkRepetition('为你推荐：玩具总动员。这部电影这部电影这部电影这部电影真的很好。', 'zh', factsOf(product('玩具总动员', [])))).toMatchObject({ passed: false });
  });

  it('counts each mention of a product name as one word', () => {
    const tora = product('Tora! Tora! Tora! (1970)', ['War']);
    expect(checkRepetition('Right now, see Tora! Tora! Tora! - a must for War fans. Get it now.', 'en', factsOf(tora)).passed).toBe(true);
    expect(wordsWithFacts('Toy Story (1995), a Comedy. See it', 'en', factsOf(toyStory))).toEqual(['\u0000toy story (1995)', 'a', '\u0000comedy', '\u00021', 'see', 'it']);
    expect(wordsWithFacts('为你推荐：玩具总动员', 'zh', [])).toEqual(expect.arrayContaining(['推荐', '玩具']));
  });

  it('fails, as the only guardrail that catches it, a looping model text that used to be served', () => {
    const text = 'Last call for Rent (2005). It is the this for the in in in in in in night. Get it now.';
    const checks = runGuardrails(text, { channel: 'EMAIL_BODY', locale: 'en', product: rent, facts: factsOf(rent), bannedWords: DEFAULT_BANNED_WORDS, personal: [] });
    expect(checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['REPETITION']);
    expect(guardrailScore(checks)).toBeLessThan(1);
  });

  it('is listed among the guardrails, and every template passes it with room to spare', () => {
    let worst = 0;
    for (const p of [rent, joan, toyStory])
      for (const channel of CHANNELS)
        for (const tone of TONES)
          for (const locale of LOCALES)
            for (const i of [0, 1, 2, 3]) {
              const text = templateVariant({ product: p, audienceId: 'rep-seg', channel, tone, locale }, i);
              const check = runGuardrails(text, { channel, locale, product: p, facts: factsOf(p), bannedWords: DEFAULT_BANNED_WORDS, personal: [] }).find((c) => c.check === 'REPETITION');
              expect({ text, check }).toEqual({ text, check: { check: 'REPETITION', passed: true, detail: null } });
              const w = wordsWithFacts(text, locale, factsOf(p));
              const pairs = w.slice(1).map((x, j) => `${w[j]} ${x}`);
              worst = Math.max(worst, pairs.length ? (pairs.length - new Set(pairs).size) / pairs.length : 0);
            }
    expect(worst).toBeLessThan(MAX_REPEATED_PAIR_SHARE);
  });
});
