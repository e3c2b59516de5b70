import type { Command } from 'commander';
import { GatRecommender } from '../../../graph-models';
import { ModelVersionRepository } from '../../repositories/model-version.repository';
import { createPublisher } from '../../app';
import { progressBar, withRuntime } from '../runtime';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description("write a saved model version's embeddings to Neo4j and make it the active version (atomic flip)")
    .requiredOption('--version <id>', 'the model version (see the analyst query modelVersions, or .models/versions/)')
    .action(async (options: { version: string }) => {
      await withRuntime(async (rt) => {
        const versions = new ModelVersionRepository(rt.services.db);
        const version = await versions.byId(options.version);
        if (!version) throw new Error(`Model version ${options.version} does not exist`);
        if (!version.artifactDir) throw new Error(`Model version ${options.version} has no artifact directory`);
        const model = GatRecommender.load(version.artifactDir);
        const bars = new Map<string, ReturnType<typeof progressBar>>();
        const slot = await createPublisher(rt.services.db).publish(options.version, model.embeddings(), {
          onProgress: (p) => {
            let bar = bars.get(p.label);
            if (!bar) bars.set(p.label, (bar = progressBar(`publish ${p.label}`)));
            bar.update(p.done, p.total);
          },
        });
        bars.forEach((b) => b.stop());
        console.log(`model version ${options.version} is active (embedding slot ${slot})`);
      });
    });
}
