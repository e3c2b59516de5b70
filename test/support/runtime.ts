/**
 * Test access to the real Neo4j that scripts/test.sh started (or NEO4J_URI): services wired exactly
 * as in production, and helpers that give each test its own id namespace so tests never share data.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { createServices, Services } from '../../src/app';
import { Config, loadConfig, requirePassword } from '../../src/config';
import { Migrator } from '../../src/db/migrator';

export function testConfig(overrides: Record<string, string> = {}): Config {
  const config = loadConfig({ ...process.env, ...overrides });
  requirePassword(config);
  return config;
}

export function testServices(overrides: Record<string, string> = {}): Services {
  return createServices(testConfig(overrides));
}

export async function migrate(services: Services): Promise<void> {
  await new Migrator(services.db).migrate({
    dir: path.join(services.config.projectRoot, 'migrations'),
    placeholders: { textEmbeddingDim: services.config.embeddings.textDim, graphEmbeddingDim: services.config.embeddings.graphDim },
  });
}

/** A fresh prefix per test, so ids never collide with other tests' data. */
export function ns(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}-`;
}
