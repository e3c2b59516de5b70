import type { Command } from 'commander';
import { ensureDemoPartners } from '../../pipeline/demo-partners';
import { linkMembersFromCsv } from '../../pipeline/link-members';
import { progressBar, withRuntime } from '../runtime';

export function registerPartners(program: Command): void {
  const partners = program.command('partners').description('affiliate partners and their shared members');
  partners
    .command('link')
    .description('share members with a partner from a CSV file: userId,memberRef,consentAt,scopes (scopes separated by ";")')
    .requiredOption('--partner <partnerId>', 'the partner')
    .requiredOption('--file <members.csv>', 'the CSV file')
    .action(async (options: { partner: string; file: string }) => {
      await withRuntime(async ({ services, config }) => {
        const bar = progressBar(`linking members to ${options.partner}`);
        try {
          const outcome = await linkMembersFromCsv({
            partners: services.partners,
            partnerId: options.partner,
            file: options.file,
            batchSize: config.partners.maxLinkBatch,
            onProgress: (done, total) => bar.update(done, total),
          });
          bar.stop();
          console.log(`${outcome.linked} linked, ${outcome.rejected.length} rejected`);
          for (const r of outcome.rejected.slice(0, 20)) console.log(`  ${r.memberRef}: ${r.reason}`);
          if (outcome.rejected.length > 20) console.log(`  ... and ${outcome.rejected.length - 20} more`);
        } finally {
          bar.stop();
        }
      });
    });
  partners
    .command('demo')
    .description('create the two demo partners with overlapping MovieLens members (once; npm start runs it)')
    .action(async () => {
      await withRuntime(async ({ services, config }) => {
        const created = await ensureDemoPartners(services.partners, config.partners.maxLinkBatch);
        console.log(created > 0 ? `created ${created} demo partners` : 'demo partners exist');
      });
    });
}
