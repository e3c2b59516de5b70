import * as fs from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CampaignDefaults, campaignRequests, OUTPUT_COLUMNS, resultRows } from '../../services/copy/campaign';
import { CHANNELS, LOCALES, TONES } from '../../services/copy/copy-types';
import { progressBar, withRuntime } from '../runtime';

interface CopyOptions {
  product?: string;
  segment?: string;
  user?: string;
  campaign?: string;
  channel: string;
  tone: string;
  locale: string;
  variants: string;
  out?: string;
}

export function registerCopy(program: Command): void {
  program
    .command('copy')
    .description('generated marketing copy: one product for a segment or user, or a campaign file (products x audiences) -> CSV of variants with their checks')
    .option('--product <id>', 'product id')
    .option('--segment <id>', 'segment id')
    .option('--user <id>', 'user id')
    .option('--campaign <file.csv>', 'CSV with columns product, segment or user, and optional channel, tone, locale, variants')
    .option('--channel <c>', CHANNELS.join(' | '), 'PUSH')
    .option('--tone <t>', TONES.join(' | '), 'FRIENDLY')
    .option('--locale <l>', LOCALES.join(' | '), 'en')
    .option('--variants <n>', 'variants per product and audience', '3')
    .option('--out <file.csv>', 'write the CSV here instead of stdout')
    .action(async (options: CopyOptions) => {
      const defaults: CampaignDefaults = campaignRequests([{ product: 'x', segment: 'x', channel: options.channel, tone: options.tone, locale: options.locale, variants: options.variants }], {
        channel: 'PUSH',
        tone: 'FRIENDLY',
        locale: 'en',
        variants: 3,
      })[0];
      const requests = options.campaign
        ? campaignRequests(parse(fs.readFileSync(options.campaign, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[], defaults)
        : campaignRequests([{ product: options.product ?? '', segment: options.segment ?? '', user: options.user ?? '' }], defaults);
      await withRuntime(async (rt) => {
        const bar = progressBar('copy');
        const rows: (string | number)[][] = [];
        let failed = 0;
        for (const [i, request] of requests.entries()) {
          try {
            rows.push(...resultRows(await rt.services.copy.generate(request)));
          } catch (err) {
            failed += 1;
            process.stderr.write(`\n${request.productId} / ${request.segmentId ?? request.userId}: ${(err as Error).message}\n`);
          }
          bar.update(i + 1, requests.length);
        }
        bar.stop();
        const csv = stringify(rows, { header: true, columns: [...OUTPUT_COLUMNS] });
        if (options.out) fs.writeFileSync(options.out, csv);
        else process.stdout.write(csv);
        process.stderr.write(`copy: ${rows.length} variants for ${requests.length - failed} of ${requests.length} requests${options.out ? ` -> ${options.out}` : ''}\n`);
        await rt.services.close();
        if (failed > 0) process.exitCode = 1;
      });
    });
}
