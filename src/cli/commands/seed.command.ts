import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Command } from 'commander';
import type { Dataset } from '../../domain/records';
import { DatasetLoader } from '../../pipeline/load-dataset';
import { progressBar, withRuntime } from '../runtime';

async function loadDataset(dataset: Dataset, batchSize: number): Promise<void> {
  await withRuntime(async ({ services }) => {
    const loader = new DatasetLoader(services.repositories, batchSize);
    const bars = new Map<string, ReturnType<typeof progressBar>>();
    const report = await loader.load(dataset, (p) => {
      let bar = bars.get(p.stage);
      if (!bar) {
        bars.forEach((b) => b.stop());
        bar = progressBar(`${dataset.name} ${p.stage}`);
        bars.set(p.stage, bar);
      }
      bar.update(p.done, p.total);
    });
    bars.forEach((b) => b.stop());
    console.log(
      `seeded ${dataset.name}: ${report.categories} categories, ${report.products} products, ${report.users} users, ` +
        `${report.interactionsCreated} new of ${report.interactionsSent} interactions (${report.interactionsRejected} rejected) in ${report.seconds.toFixed(1)} s`,
    );
    for (const line of report.firstRejections) console.log(`  rejected ${line}`);
  });
}

export function registerSeed(program: Command): void {
  const seed = program.command('seed').description('load demo or real data (idempotent: a second run adds nothing)');
  seed
    .command('movielens')
    .description('MovieLens ml-latest-small: fetched from Debian r-cran-dslabs unless --dir points at a GroupLens folder')
    .option('--dir <dir>', 'a GroupLens folder: ml-latest (movies.csv, ratings.csv), ml-100k (u.data, u.item) or ml-1m (ratings.dat, movies.dat)')
    .option('--batch <n>', 'events per transaction', (v) => Number(v), 5000)
    .option('--tags <mode>', 'tags.csv: description (appended to movies\' descriptions), review (one REVIEW event each, the texts `affinity topics` clusters) or ignore', 'description')
    .action(async (options: { dir?: string; batch: number; tags: string }) => {
      const modes = ['description', 'review', 'ignore'] as const;
      const tags = modes.find((m) => m === options.tags);
      if (!tags) throw new Error(`--tags must be one of ${modes.join(', ')}, got "${options.tags}"`);
      const root = path.resolve(__dirname, '../../../..');
      let dir = options.dir;
      if (!dir) {
        dir = path.join(root, '.data', 'movielens', 'ml-latest-small');
        execFileSync('bash', [path.join(root, 'seeds', 'movielens', 'fetch-movielens.sh'), dir], { stdio: 'inherit' });
      }
      const { readGroupLens } = await import('../../../seeds/readers/grouplens.reader');
      await loadDataset(await readGroupLens(dir, { tags }), options.batch);
    });
  seed
    .command('csv')
    .description('a generic folder: items.csv + interactions.csv [+ users.csv] [+ texts.csv] (layout in the README)')
    .requiredOption('--dir <dir>', 'the folder')
    .option('--batch <n>', 'events per transaction', (v) => Number(v), 5000)
    .action(async (options: { dir: string; batch: number }) => {
      const { readGenericCsv } = await import('../../../seeds/readers/generic-csv.reader');
      await loadDataset(await readGenericCsv(options.dir), options.batch);
    });
  seed
    .command('synthetic')
    .description('a realistic synthetic e-commerce graph, deterministic by seed')
    .option('--users <n>', 'users', (v) => Number(v), 10000)
    .option('--products <n>', 'products', (v) => Number(v), 5000)
    .option('--events <n>', 'interaction events', (v) => Number(v), 100000)
    .option('--seed <n>', 'random seed', (v) => Number(v), 42)
    .option('--batch <n>', 'events per transaction', (v) => Number(v), 10000)
    .option('--locale <locale>', 'language of product text, reviews and category names: en or zh (use TEXT_ENCODER=bge-small-zh-v1.5 for zh)', 'en')
    .action(async (options: { users: number; products: number; events: number; seed: number; batch: number; locale: string }) => {
      const { generateSynthetic } = await import('../../../seeds/synthetic/generate-synthetic');
      const { SYNTHETIC_LOCALES } = await import('../../../seeds/synthetic/locale');
      const locale = SYNTHETIC_LOCALES.find((l) => l === options.locale);
      if (!locale) throw new Error(`--locale must be one of ${SYNTHETIC_LOCALES.join(', ')}, got "${options.locale}"`);
      const dataset = generateSynthetic({ users: options.users, products: options.products, events: options.events, seed: options.seed, locale });
      await loadDataset(dataset, options.batch);
    });
}
