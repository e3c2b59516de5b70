import type { Command } from 'commander';
import { TextEmbedder } from '../../ml/text';
import { TextTopicRepository } from '../../repositories/text-topic.repository';
import { TextTopicsService } from '../../pipeline/text-topics';
import { withRuntime } from '../runtime';

export function registerTopics(program: Command): void {
  program
    .command('topics')
    .description('find the topics of what users write (review texts: embedded, clustered, labelled by distinctive terms) for profiles\' textInterests')
    .option('--max-k <n>', 'most topics', (v) => Number(v), 12)
    .option('--seed <n>', 'random seed', (v) => Number(v), 42)
    .action(async (options: { maxK: number; seed: number }) => {
      await withRuntime(async (rt) => {
        const embedder = new TextEmbedder({ encoder: rt.config.models.textEncoder, modelDir: rt.config.models.textModelDir, cacheDir: rt.config.models.textCacheDir });
        try {
          const result = await new TextTopicsService(new TextTopicRepository(rt.services.db), embedder).run({ maxK: options.maxK, seed: options.seed });
          console.log(`topics: ${result.topics.length} topics over ${result.texts} texts of ${result.users} users (${result.runId})`);
          for (const t of result.topics) console.log(`  ${String(t.size).padStart(6)}  ${t.label}`);
        } finally {
          await embedder.close();
        }
      });
    });
}
