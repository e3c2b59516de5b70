/**
 * Offline quality of the GAT and every baseline on one temporal split (the `affinity evaluate`
 * protocol), with real transformer text embeddings, printed as validation and test tables.
 *
 *   npm run build && node dist/bench/quality.js [--data .data/movielens/ml-latest-small | --csv DIR]
 *       [--models gat,popularity,item-knn,mf-bpr,lightgcn,text-only,ease,als] [--seed 42] [--seeds 5]
 *       [--max-seconds 600] [--json out.json]
 *       [--set gatOption=value ...]   (GAT hyperparameters for experiments; defaults otherwise)
 *
 * --seeds N fits every model with seeds seed .. seed+N-1 (same split; the seed drives initialisation
 * and sampling) and prints each seed's tables, then mean ± standard deviation over the seeds.
 *
 * Reads the importers' layouts (GroupLens folder or the generic CSV folder), so any data set in
 * those layouts runs the same way. Text embeddings come from the cached sentence encoder.
 */
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGroupLens } from '../seeds/readers/grouplens.reader';
import { readGenericCsv } from '../seeds/readers/generic-csv.reader';
import { snapshotFromDataset, prepareData, runModels, formatTable, formatSeedSummary, runsToJson, GatRecommender } from '../graph-models';
import type { ModelRun } from '../graph-models';
import type { GatOptions } from '../graph-models';
import { TextEmbedder } from '../src/ml/text';
import { baselinesFor, BASELINES } from '../src/pipeline/train';
import { projectRoot } from './support/process';

function value(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const csv = value(argv, '--csv');
  const data = value(argv, '--data') ?? path.join(projectRoot, '.data/movielens/ml-latest-small');
  const models = (value(argv, '--models') ?? ['gat', ...BASELINES].join(',')).split(',');
  const seed = Number(value(argv, '--seed') ?? 42);
  const seeds = Number(value(argv, '--seeds') ?? 1);
  const maxSeconds = Number(value(argv, '--max-seconds') ?? 600);
  const started = performance.now();
  const gatOptions: Record<string, number | boolean | string> = {};
  argv.forEach((a, i) => {
    if (a !== '--set') return;
    const [k, v] = argv[i + 1].split('=');
    gatOptions[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  });

  const dataset = csv ? await readGenericCsv(csv) : await readGroupLens(data);
  const snapshot = snapshotFromDataset(dataset);
  const embedder = new TextEmbedder({ modelDir: path.join(projectRoot, '.models/all-minilm-l6-v2'), cacheDir: path.join(projectRoot, '.cache/text-embeddings') });
  const vectors = await embedder.embedMany(snapshot.itemText, {
    onProgress: (p) => process.stderr.write(`\rtext embeddings ${p.done}/${p.total} (${p.cached} cached)`),
  });
  await embedder.close();
  process.stderr.write('\n');
  snapshot.textDim = embedder.dimension;
  snapshot.itemTextEmbedding = new Float32Array(vectors.length * embedder.dimension);
  vectors.forEach((v, i) => snapshot.itemTextEmbedding!.set(v, i * embedder.dimension));

  const prepared = prepareData(snapshot);
  console.log(
    `${dataset.name}: ${snapshot.userIds.length} users, ${snapshot.itemIds.length} items, ${snapshot.eventUser.length} events; ` +
      `train/validation/test events ${prepared.split.train.length}/${prepared.split.validation.length}/${prepared.split.test.length}; ` +
      `prepared in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const runsBySeed: ModelRun[][] = [];
  for (let s = seed; s < seed + seeds; s++) {
    // Fresh models per seed: fit state must not carry over.
    const recommenders = [
      ...(models.includes('gat') ? [new GatRecommender({ maxSeconds, ...(gatOptions as Partial<GatOptions>) })] : []),
      ...baselinesFor(models.filter((m) => m !== 'gat'), snapshot, maxSeconds),
    ];
    const cpuStart = process.cpuUsage();
    const fitStarted = performance.now();
    const runs = await runModels(recommenders, prepared, { seed: s, log: (m) => process.stderr.write(`${m}\n`) });
    const cpu = process.cpuUsage(cpuStart);
    // On a shared machine wall seconds depend on other load; CPU seconds (all threads) do not as much.
    console.log(
      `seed ${s}: models fitted and evaluated in ${((performance.now() - fitStarted) / 1000).toFixed(1)} s wall, ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s (all threads), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    );
    console.log(`\nbench/quality: validation, seed ${s}\n${formatTable(runs, 'validation')}\n\nbench/quality: test, seed ${s}\n${formatTable(runs, 'test')}\n`);
    runsBySeed.push(runs);
  }
  if (seeds > 1) {
    console.log(`bench/quality: ${formatSeedSummary(runsBySeed, 'validation')}\n\nbench/quality: ${formatSeedSummary(runsBySeed, 'test')}`);
  }
  const json = value(argv, '--json');
  // One seed keeps the single-run layout; several give one entry per seed.
  const output = seeds === 1 ? runsToJson(runsBySeed[0]) : runsBySeed.map((runs, i) => ({ seed: seed + i, runs: runsToJson(runs) }));
  if (json) writeFileSync(json, JSON.stringify(output, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
