/**
 * The demo's two partners (npm start): a cinema club and a film magazine sharing overlapping
 * MovieLens users (ml-u1..400 and ml-u300..671, so their overlap clears the audience minimum), the
 * magazine's program limited to drama and comedy. Idempotent: existing partners are left as they are.
 */
import type { PartnerService } from '../services/partner/partner.service';
import type { ProgramTermsInput } from '../services/partner/program';

export interface DemoPartner {
  partnerId: string;
  name: string;
  refPrefix: string;
  users: [number, number];
  program: ProgramTermsInput;
}

export const DEMO_PARTNERS: DemoPartner[] = [
  {
    partnerId: 'demo-cinema-club',
    name: 'Demo Cinema Club',
    refPrefix: 'cc-',
    users: [1, 400],
    program: { defaultRate: 0.05, categoryRates: [{ categoryId: 'genre:documentary', rate: 0.1 }], landingUrlTemplate: 'https://shop.example/movies/{productId}?via=cinema-club' },
  },
  {
    partnerId: 'demo-film-magazine',
    name: 'Demo Film Magazine',
    refPrefix: 'fm-',
    users: [300, 671],
    program: {
      defaultRate: 0.04,
      allowCategoryIds: ['genre:drama', 'genre:comedy'],
      attribution: 'FIRST_CLICK',
      landingUrlTemplate: 'https://shop.example/movies/{productId}?via=film-magazine',
    },
  },
];

/** Creates the demo partners that do not exist yet and links their members; returns how many it created. */
export async function ensureDemoPartners(partners: PartnerService, batchSize: number): Promise<number> {
  let created = 0;
  for (const demo of DEMO_PARTNERS) {
    if (await partners.exists(demo.partnerId)) continue;
    await partners.register({ partnerId: demo.partnerId, name: demo.name, program: demo.program });
    const [first, last] = demo.users;
    const links = Array.from({ length: last - first + 1 }, (_, i) => ({
      userId: `ml-u${first + i}`,
      memberRef: `${demo.refPrefix}${first + i}`,
      consentAt: new Date(),
      scopes: ['recommendations'],
    }));
    for (let i = 0; i < links.length; i += batchSize) await partners.link(demo.partnerId, links.slice(i, i + batchSize));
    created += 1;
  }
  return created;
}
