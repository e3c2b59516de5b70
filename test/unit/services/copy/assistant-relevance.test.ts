import { namesProduct, withoutTitleWords } from '../../../../src/services/copy/assistant-relevance';
import { ProductFacts, shortTitleOf } from '../../../../src/services/copy/copy-types';

function film(title: string, categories: string[], description: string | null = null): ProductFacts {
  return { id: 'rel-1', title, shortTitle: shortTitleOf(title), brand: null, price: null, categories, description, reviews: [] };
}

const boilingPoint = film('Boiling Point (1993)', ['Action', 'Drama']);
const theWar = film('The War (1994)', ['Drama', 'War']);
const toyStory = film('Toy Story (1995)', ['Adventure', 'Animation', 'Children', 'Comedy']);

describe('withoutTitleWords', () => {
  it('drops the words the question shares only with the title', () => {
    expect(withoutTitleWords('What is the boiling point of water?', boilingPoint, 'en')).toBe('What is the of water?');
    expect(withoutTitleWords('something like toy story', toyStory, 'en')).toBe('something like');
  });

  it('does not take a description that repeats the title as the rest of the product', () => {
    const described = film('Boiling Point (1993)', ['Action', 'Drama'], 'Boiling Point is a 1993 film. Genres: Action, Drama.');
    expect(withoutTitleWords('What is the boiling point of water?', described, 'en')).toBe('What is the of water?');
  });

  it('keeps words the rest of the product also has, and says when nothing was shared', () => {
    // "war" is a category too: a war film asked for is a real match.
    expect(withoutTitleWords('a war movie about world war two', theWar, 'en')).toBeNull();
    expect(withoutTitleWords('a funny animated film for kids', toyStory, 'en')).toBeNull();
  });

  it('splits Chinese into words', () => {
    const zh = film('沸点', ['动作']);
    expect(withoutTitleWords('水的沸点是多少度？', zh, 'zh')).toBe('水的是多少度？');
  });
});

describe('namesProduct', () => {
  it('takes a title written as the catalogue writes it, or quoted, as naming the product', () => {
    expect(namesProduct('something like Toy Story', toyStory)).toBe(true);
    expect(namesProduct('Is Toy Story (1995) good for kids?', toyStory)).toBe(true);
    expect(namesProduct('is "boiling point" worth watching?', boilingPoint)).toBe(true);
    expect(namesProduct('有没有类似《沸点》的电影？', film('沸点', []))).toBe(true);
  });

  it('does not take the same words in lower case, or unquoted Chinese, as a name', () => {
    expect(namesProduct('What is the boiling point of water?', boilingPoint)).toBe(false);
    expect(namesProduct('水的沸点是多少度？', film('沸点', []))).toBe(false);
  });
});
