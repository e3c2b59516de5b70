import type { Services } from '../../src/app';
import { DEMO_PARTNERS, ensureDemoPartners } from '../../src/pipeline/demo-partners';
import { testServices } from '../support/runtime';

describe('ensureDemoPartners (npm start)', () => {
  let services: Services;
  beforeAll(() => (services = testServices()));
  afterAll(async () => services.close());

  it('creates the two demo partners once, sharing overlapping MovieLens members', async () => {
    await services.catalog.upsertUsers(['ml-u1', 'ml-u350', 'ml-u671'].map((id) => ({ id })));
    await ensureDemoPartners(services.partners, 1000);
    expect(await ensureDemoPartners(services.partners, 1000)).toBe(0);
    const [club, magazine] = DEMO_PARTNERS;
    expect([...(await services.partners.resolveMembers(club.partnerId, ['cc-1', 'cc-350', 'cc-671'])).entries()]).toEqual([
      ['cc-1', 'ml-u1'],
      ['cc-350', 'ml-u350'],
    ]);
    expect([...(await services.partners.resolveMembers(magazine.partnerId, ['fm-350', 'fm-671'])).entries()]).toEqual([
      ['fm-350', 'ml-u350'],
      ['fm-671', 'ml-u671'],
    ]);
    expect((await services.partners.currentProgram(magazine.partnerId)).attribution).toBe('FIRST_CLICK');
  });
});
