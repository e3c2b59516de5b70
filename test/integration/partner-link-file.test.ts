import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { linkMembersFromCsv } from '../../src/pipeline/link-members';
import { partnerWorld, programTerms } from '../support/partners';
import { ns, testServices } from '../support/runtime';

describe('linkMembersFromCsv (affinity partners link)', () => {
  let services: Services;
  beforeAll(() => (services = testServices()));
  afterAll(async () => services.close());

  it('links every valid row in batches, reports the bad ones, and resolves the refs afterwards', async () => {
    const world = await partnerWorld(services, ns('plf'), 5);
    const partnerId = `${world.prefix}P`;
    await services.partners.register({ partnerId, name: 'P', program: programTerms() });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'members-')), 'members.csv');
    const lines = world.userIds.map((u, i) => `${u},m${i},2026-01-0${i + 1}T00:00:00Z,recommendations;reports`);
    fs.writeFileSync(file, ['userId,memberRef,consentAt,scopes', ...lines, `${world.prefix}ghost,mx,,`].join('\n'));
    const progress: [number, number][] = [];
    const outcome = await linkMembersFromCsv({ partners: services.partners, partnerId, file, batchSize: 2, onProgress: (d, t) => progress.push([d, t]) });
    expect(outcome).toEqual({ linked: 5, rejected: [{ memberRef: 'mx', reason: 'unknown user' }] });
    expect(progress).toEqual([[0, 6], [2, 6], [4, 6], [6, 6]]);
    const resolved = await services.partners.resolveMembers(partnerId, ['m0', 'm4', 'mx']);
    expect([...resolved.entries()]).toEqual([['m0', world.userIds[0]], ['m4', world.userIds[4]]]);
  });
});
