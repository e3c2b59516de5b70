/**
 * Training speed and quality of the GAT, printed as tables.
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/affinity-build && node /tmp/affinity-build/bench/train.js \
 *     [--synthetic] [--synthetic-epochs 2] [--data .data/movielens/ml-latest-small | --no-movielens] [--baselines]
 *     [--threads 2] [--seed 42] [--set key=value ...] [--json out.json]
 *
 * (a) synthetic: 1M interactions, 100k users, 50k products from seeds/synthetic, text as hashed
 *     TF-IDF (384-d, the MiniLM width); epochs are timed without validation (full ranking of 100k
 *     users is an evaluation cost, not a training one). Target: <= 30 s/epoch, peak RSS <= 4 GB.
 * (b) MovieLens ml-latest-small if the directory exists: full training with early stopping on
 *     validation NDCG@20, then validation and test tables; with --baselines, MF-BPR and LightGCN
 *     run in the same harness and split. Target: <= 3 min, best NDCG@20 and Recall@20.
 *     Then the GAT's selected settings are refitted on every event (what `affinity train` serves)
 *     and selection and refit time are printed side by side. Target: the refit adds <= 50%.
 *
 * Text: when the snapshot has no transformer embeddings (the encoder lives in src/ml), both use
 * hashed TF-IDF vectors and the table says so.
 */
import { existsSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { generateSynthetic } from '../seeds/synthetic/generate-synthetic';
import { readGroupLens } from '../seeds/readers/grouplens.reader';
import {
  snapshotFromDataset,
  createFitContext,
  prepareData,
  runModels,
  formatTable,
  runsToJson,
  LightGcnRecommender,
  MfBprRecommender,
  hashedTfidfEmbedding,
  GatRecommender,
  refitGat,
  setKernelThreads,
  shutdownKernelPool,
} from '../graph-models';
import type { GraphSnapshot, ModelRun, Recommender, GatOptions } from '../graph-models';

interface Args {
  synthetic: boolean;
  syntheticEpochs: number;
  movielens: boolean;
  data: string;
  baselines: boolean;
  threads: number;
  seed: number;
  set: Partial<GatOptions>;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const set: Record<string, number | boolean> = {};
  argv.forEach((a, i) => {
    if (a !== '--set') return;
    const [k, v] = argv[i + 1].split('=');
    set[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
  });
  return {
    synthetic: argv.includes('--synthetic'),
    syntheticEpochs: Number(value('--synthetic-epochs') ?? 2),
    movielens: !argv.includes('--no-movielens'),
    data: value('--data') ?? '.data/movielens/ml-latest-small',
    baselines: argv.includes('--baselines'),
    threads: Number(value('--threads') ?? 2),
    seed: Number(value('--seed') ?? 42),
    set: set as Partial<GatOptions>,
    json: value('--json'),
  };
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

function withTextFallback(snapshot: GraphSnapshot, dim: number): string {
  if (snapshot.itemTextEmbedding) return 'transformer';
  snapshot.itemTextEmbedding = hashedTfidfEmbedding(snapshot.itemText, dim);
  snapshot.textDim = dim;
  return `hashed-tfidf-${dim}`;
}

async function benchSynthetic(args: Args): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const dataset = generateSynthetic({ users: 100_000, products: 50_000, events: 1_000_000, seed: args.seed });
  const snapshot = snapshotFromDataset(dataset);
  const text = withTextFallback(snapshot, 384);
  const data = prepareData(snapshot);
  const prepSeconds = (performance.now() - t0) / 1000;
  // validate: false — ranking 10k validation users over 50k items is evaluation, not training, time.
  const gat = new GatRecommender({ ...args.set, maxEpochs: args.syntheticEpochs, validate: false, maxSeconds: 1e9 });
  const ctx = createFitContext(data, gat, { seed: args.seed, log: (m) => console.error(`[synthetic] ${m}`) });
  const fitStart = performance.now();
  await gat.fit(ctx);
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const epochs = gat.history.map((h) => h.seconds);
  const row = {
    dataset: `synthetic ${snapshot.userIds.length} users / ${snapshot.itemIds.length} items / ${snapshot.eventUser.length} events`,
    trainPairs: data.train.userItems.indices.length,
    text,
    batchSize: gat.history[0]?.batchSize ?? gat.options.batchSize,
    stepsPerEpoch: gat.history[0]?.steps ?? 0,
    threads: args.threads,
    prepSeconds,
    fitSeconds,
    epochSeconds: epochs,
    epochCpuSeconds: gat.history.map((h) => h.cpuSeconds),
    peakRss: peakRss(),
  };
  console.log('\n(a) synthetic, training speed');
  const cpu = gat.history.map((h) => h.cpuSeconds);
  console.log(`epoch = one pass over all ${row.trainPairs} training pairs = ${row.stepsPerEpoch} steps of ${row.batchSize} pairs x ${gat.options.negatives} negatives (${gat.options.loss}), each step one full-graph forward + backward`);
  console.log('| data | train pairs | messages/layer | steps x batch x neg | threads | wall s/epoch | CPU s/epoch (all threads) | fit s (incl. setup) | peak RSS | load avg |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${row.dataset} | ${row.trainPairs} | ${2 * row.trainPairs + snapshot.userIds.length + snapshot.itemIds.length} | ${row.stepsPerEpoch} x ${row.batchSize} x ${gat.options.negatives} | ${row.threads} | ` +
      `${epochs.map((s) => s.toFixed(1)).join(', ')} | ${cpu.map((s) => s.toFixed(1)).join(', ')} | ${fitSeconds.toFixed(1)} | ${mb(row.peakRss)} | ${os.loadavg()[0].toFixed(1)} |`,
  );
  return row;
}

async function benchMovielens(args: Args): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(args.data)) {
    console.log(`\n(b) MovieLens: ${args.data} not found (run seeds/movielens/fetch-movielens.sh); skipped`);
    return undefined;
  }
  const dataset = await readGroupLens(args.data, { tags: 'ignore' });
  const snapshot = snapshotFromDataset(dataset);
  const text = withTextFallback(snapshot, 256);
  const data = prepareData(snapshot);
  const gat = new GatRecommender(args.set, `gat+text[${text}]`);
  const models: Recommender[] = [gat];
  if (args.baselines) models.push(new MfBprRecommender(), new LightGcnRecommender());
  const runs: ModelRun[] = await runModels(models, data, { seed: args.seed, ks: [10, 20], log: (m) => console.error(m) });
  const g = runs[0];
  console.log(`\n(b) MovieLens ml-latest-small (${snapshot.userIds.length} users, ${snapshot.itemIds.length} items, ${snapshot.eventUser.length} events), text: ${text}`);
  console.log('| model | epochs (best) | fit s | wall s/epoch | CPU s/epoch | peak RSS | load avg |');
  console.log('|---|---|---|---|---|---|---|');
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  console.log(
    `| ${g.name} | ${g.fit.epochs} (${g.fit.bestEpoch ?? '-'}) | ${g.fitSeconds.toFixed(1)} | ${mean(gat.history.map((h) => h.seconds)).toFixed(2)} | ` +
      `${mean(gat.history.map((h) => h.cpuSeconds)).toFixed(2)} | ${mb(peakRss())} | ${os.loadavg()[0].toFixed(1)} |`,
  );
  console.log(`\n${formatTable(runs, 'validation')}\n\n${formatTable(runs, 'test')}`);
  const refit = await refitGat({ selected: gat, epochs: g.fit.bestEpoch ?? g.fit.epochs, snapshot, seed: args.seed, maxSeconds: 1e9, log: (m) => console.error(`[refit] ${m}`) });
  console.log('\nselect, then refit (affinity train)');
  console.log('| run | events | epochs | wall s | share of selection |');
  console.log('|---|---|---|---|---|');
  console.log(`| selection (train split, early stopping) | ${data.split.train.length} | ${g.fit.epochs} (best ${g.fit.bestEpoch ?? '-'}) | ${g.fitSeconds.toFixed(1)} | 100% |`);
  console.log(`| refit (all events, selected epochs) | ${refit.events} | ${refit.epochs} | ${refit.seconds.toFixed(1)} | ${((100 * refit.seconds) / g.fitSeconds).toFixed(0)}% |`);
  return { runs: runsToJson(runs), history: gat.history, options: gat.options, refit: { events: refit.events, epochs: refit.epochs, seconds: refit.seconds } };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend('cpu');
  await setKernelThreads(args.threads);
  const out: Record<string, unknown> = {};
  if (args.synthetic) out.synthetic = await benchSynthetic(args);
  if (args.movielens) out.movielens = await benchMovielens(args);
  if (args.json) writeFileSync(args.json, JSON.stringify(out, null, 2));
  await shutdownKernelPool();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
