/**
 * Benches point at a Neo4j of their own, often freshly started: they apply the migrations first, as
 * `serve` does, so constraints and indexes exist before their setup loads a graph.
 */
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { Migrator } from '../../src/db/migrator';
import { projectRoot } from './process';

export async function migrate(services: Services): Promise<void> {
  const { config } = services;
  await new Migrator(services.db).migrate({
    dir: path.join(projectRoot, 'migrations'),
    placeholders: { textEmbeddingDim: config.embeddings.textDim, graphEmbeddingDim: config.embeddings.graphDim },
  });
}
