/**
 * Offline quality of every baseline on one temporal split, printed as tables (validation and test).
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/affinity-build && node /tmp/affinity-build/bench/quality-baselines.js \
 *     [--data .data/movielens/ml-latest-small] [--models popularity,item-knn,mf-bpr,lightgcn,text-only]
 *     [--seed 42] [--json out.json] [--max-seconds 300]
 *
 * Reads a GroupLens directory through the seeds reader (the same path `affinity seed` takes).
 * Without product text embeddings in the snapshot, text-only runs on hashed TF-IDF vectors and is
 * labelled so.
 */
import { writeFileSync } from 'node:fs';
import { readGroupLens } from '../seeds/readers/grouplens.reader';
import { snapshotFromDataset } from '../graph-models/data/from-dataset';
import { GraphSnapshot } from '../graph-models/data/snapshot';
import { prepareData, runModels } from '../graph-models/eval/harness';
import { formatTable, runsToJson } from '../graph-models/eval/format';
import { Recommender } from '../graph-models/eval/recommender';
import {
  ItemKnnRecommender,
  LightGcnRecommender,
  MfBprRecommender,
  PopularityRecommender,
  TextOnlyRecommender,
} from '../graph-models/baselines';
import { hashedTfidfEmbedding } from '../graph-models/baselines/hashed-text-embedding';

interface Args {
  data: string;
  models: string[];
  seed: number;
  json?: string;
  maxSeconds: number;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    data: value('--data') ?? '.data/movielens/ml-latest-small',
    models: (value('--models') ?? 'popularity,item-knn,mf-bpr,lightgcn,text-only').split(','),
    seed: Number(value('--seed') ?? 42),
    json: value('--json'),
    maxSeconds: Number(value('--max-seconds') ?? 300),
  };
}

function buildModels(names: string[], snapshot: GraphSnapshot, maxSeconds: number): Recommender[] {
  const textLabel = snapshot.itemTextEmbedding ? 'text-only' : 'text-only[tfidf-hash]';
  const factories: Record<string, () => Recommender> = {
    popularity: () => new PopularityRecommender(),
    'item-knn': () => new ItemKnnRecommender(),
    'mf-bpr': () => new MfBprRecommender({ maxSeconds }),
    lightgcn: () => new LightGcnRecommender({ maxSeconds }),
    'text-only': () => new TextOnlyRecommender({ name: textLabel }),
  };
  return names.map((n) => {
    const make = factories[n];
    if (!make) throw new Error(`Unknown model "${n}"; known: ${Object.keys(factories).join(', ')}`);
    return make();
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const dataset = await readGroupLens(args.data, { tags: 'ignore' });
  const snapshot = snapshotFromDataset(dataset);
  if (!snapshot.itemTextEmbedding) {
    const dim = 256;
    snapshot.itemTextEmbedding = hashedTfidfEmbedding(snapshot.itemText, dim);
    snapshot.textDim = dim;
  }
  const data = prepareData(snapshot);
  const { split } = data;
  console.log(
    `${dataset.name}: ${snapshot.userIds.length} users, ${snapshot.itemIds.length} items, ` +
      `${snapshot.eventUser.length} events; split train/val/test events ${split.train.length}/` +
      `${split.validation.length}/${split.test.length}; loaded in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
  );
  const models = buildModels(args.models, snapshot, args.maxSeconds);
  const runs = await runModels(models, data, { seed: args.seed, ks: [10, 20], log: (m) => console.error(m) });
  console.log(`\n${formatTable(runs, 'validation')}\n\n${formatTable(runs, 'test')}`);
  if (args.json) writeFileSync(args.json, JSON.stringify(runsToJson(runs), null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
