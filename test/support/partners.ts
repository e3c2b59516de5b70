/** A shop with shared members for partner tests: catalogue, users with events, partners with programs. */
import type { Services } from '../../src/app';
import type { ProgramTermsInput } from '../../src/services/partner/program';
import { Catalogue, makeCatalogue } from './fixtures';

export interface PartnerWorld {
  prefix: string;
  catalogue: Catalogue;
  userIds: string[];
}

/** `users` users, each with a few VIEW events on the catalogue (so trending has products to offer). */
export async function partnerWorld(services: Services, prefix: string, users = 6): Promise<PartnerWorld> {
  const catalogue = await makeCatalogue(services, prefix, 30);
  const userIds = Array.from({ length: users }, (_, i) => `${prefix}u${i}`);
  await services.catalog.upsertUsers(userIds.map((id) => ({ id })));
  const events = userIds.flatMap((userId, u) =>
    [0, 1, 2].map((k) => ({ eventId: `${prefix}ev${u}-${k}`, userId, productId: catalogue.productIds[(u * 3 + k) % 30], type: 'VIEW' as const, at: Date.now() - 3_600_000 })),
  );
  await services.interactions.record(events);
  return { prefix, catalogue, userIds };
}

export function programTerms(overrides: Partial<ProgramTermsInput> = {}): ProgramTermsInput {
  return { defaultRate: 0.05, landingUrlTemplate: 'https://shop.example/p/{productId}', ...overrides };
}

/** Registers a partner and links the given users as `ref-<i>`; returns its partner key. */
export async function partnerWithMembers(
  services: Services,
  partnerId: string,
  userIds: string[],
  terms: ProgramTermsInput = programTerms(),
  refPrefix = 'ref-',
): Promise<string> {
  const registered = await services.partners.register({ partnerId, name: partnerId, program: terms });
  await services.partners.link(
    partnerId,
    userIds.map((userId, i) => ({ userId, memberRef: `${refPrefix}${i}`, consentAt: new Date(), scopes: ['recommendations'] })),
  );
  return registered.apiKey;
}
