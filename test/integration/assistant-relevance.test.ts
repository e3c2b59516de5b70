/**
 * The shopping assistant over the real Neo4j and the real text encoder (templates answer, no
 * language model): a question that shares a title's words but asks about something else gets the
 * "don't know" answer, while catalogue questions, and questions that name a product, cite products
 * that exist and are among the candidates. The test database holds other suites' products too, so
 * the checks are on this suite's own ids (removed afterwards, so reruns do not pile up copies).
 */
import type { Services } from '../../src/app';
import { ns, testServices } from '../support/runtime';

describe('assistant relevance', () => {
  let services: Services;
  const p = ns('asrel');
  const catalogue: [string, string, string, string[]][] = [
    // As the MovieLens demo describes its films.
    ['boil', 'Boiling Point (1993)', 'Boiling Point is a 1993 film. Genres: Action, Drama.', ['Action', 'Drama']],
    ['cats', 'Whisker Kingdom (2031)', 'An animated comedy about a family of talking cats, made for kids.', ['Animation', 'Children', 'Comedy']],
    ['moon', 'Orbit Lanterns (2029)', 'Astronauts travel through space to a distant moon.', ['Sci-Fi', 'Adventure']],
    ['cellar', 'The Hollow Cellar (2030)', 'A haunted house and the thing that lives beneath it.', ['Horror', 'Thriller']],
  ];
  const mine = (ids: readonly string[]) => ids.filter((id) => id.startsWith(p));

  beforeAll(async () => {
    services = testServices({ COPY_MODEL: 'none' });
    const categories = [...new Set(catalogue.flatMap(([, , , c]) => c))];
    await services.catalog.upsertProducts(
      catalogue.map(([id, title, description, cats]) => ({ id: `${p}${id}`, title, description, inStock: true, categoryIds: cats.map((c) => `${p}${c}`) })),
      categories.map((c) => ({ id: `${p}${c}`, name: c })),
    );
  });
  afterAll(async () => {
    await services.db.writeOne({ name: 'test.deleteAssistantCatalogue', cypher: 'MATCH (n) WHERE (n:Product OR n:Category) AND n.id STARTS WITH $prefix DETACH DELETE n' }, { prefix: p });
    await services.close();
  });

  async function expectCitesReal(question: string, expected: string) {
    const answer = await services.assistant.ask({ question, locale: 'en' });
    expect({ question, answered: answer.answered, candidates: answer.candidateIds }).toMatchObject({ question, answered: true, candidates: expect.arrayContaining([`${p}${expected}`]) });
    expect(answer.citedProductIds.length).toBeGreaterThan(0);
    for (const id of answer.citedProductIds) expect(answer.candidateIds).toContain(id);
    const existing = await services.repositories.products.findByIds(answer.citedProductIds);
    expect(existing.map((r) => r.id).sort()).toEqual([...answer.citedProductIds].sort());
  }

  it('does not answer a question that only shares words with a title', async () => {
    for (const question of ['What is the boiling point of water?', 'what is the boiling point of liquid nitrogen in kelvin?']) {
      // The text index alone would offer the film: the words carry it above the score threshold.
      const hits = await services.discovery.search(question, 50);
      expect(hits.find((h) => h.id === `${p}boil`)?.score).toBeGreaterThanOrEqual(services.config.copy.assistant.minScore);
      const answer = await services.assistant.ask({ question, locale: 'en' });
      expect({ question, candidates: mine(answer.candidateIds), cited: mine(answer.citedProductIds) }).toEqual({ question, candidates: [], cited: [] });
      // Nor any other suite's copy of the film.
      const titles = (await services.repositories.products.findByIds(answer.candidateIds)).map((r) => r.title);
      expect(titles.filter((t) => /boiling point/i.test(t))).toEqual([]);
      if (answer.candidateIds.length === 0) expect(answer).toMatchObject({ answered: false, citedProductIds: [], answer: expect.stringContaining("don't know") });
    }
  });

  it('answers catalogue questions citing real candidates', async () => {
    await expectCitesReal('an animated comedy about talking cats for kids', 'cats');
    await expectCitesReal('a film about astronauts travelling to the moon', 'moon');
  });

  it('answers a question that names a product, written as its title or quoted', async () => {
    await expectCitesReal('something like Whisker Kingdom', 'cats');
    await expectCitesReal('Is Boiling Point a good film for tonight?', 'boil');
    await expectCitesReal('is "boiling point" worth watching?', 'boil');
  });
});
