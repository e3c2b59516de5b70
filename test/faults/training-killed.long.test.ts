/**
 * `affinity train` (the CLI built, a real process) killed with SIGKILL in the middle of publishing:
 * the previous version stays active and keeps answering recommendations, and the half-published
 * version is not active. Then the model store read-only: the same command fails with a clear error
 * within a bound instead of hanging. Uses a Neo4j of its own (training reads the whole graph).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { Services } from '../../src/app';
import { ModelVersionRepository } from '../../src/repositories/model-version.repository';
import type { RunningServer } from '../../src/server';
import { buildCli, exited, runCli } from '../support/cli-process';
import { gql, keyFor, startTestServer } from '../support/http';
import { neo4jInstance, passwordOf } from '../support/neo4j-instance';
import { migrate, ns, testServices } from '../support/runtime';
import { readOnlyDir } from '../support/store-faults';
import { trainedShop } from '../support/trained-model';

const external = Boolean(process.env.NEO4J_URI);
const describeLocal = external ? describe.skip : describe;

const RECOMMEND = 'query($u: ID!) { recommendations(userId: $u, first: 5) { strategy modelVersion edges { node { id } } } }';
const TRAIN = ['train', '--baselines', 'none', '--max-seconds', '8', '--no-refit', '--seed', '3'];

describeLocal('a training run killed mid-publish', () => {
  const instance = neo4jInstance('faults', Number(process.env.NEO4J_OUTAGE_BOLT_PORT ?? 7689), 'NEO4J_OUTAGE_BOLT_PORT');
  let services: Services;
  let env: Record<string, string>;
  let entry: string;
  let server: RunningServer;
  let key: string;
  let userId: string;
  let previous: string;

  beforeAll(async () => {
    entry = buildCli();
    instance.start();
    env = { ...instance.env, NEO4J_PASSWORD: passwordOf(instance) };
    services = testServices(env);
    await migrate(services);
    const prefix = ns('trkill');
    previous = (await trainedShop(services, prefix)).result.versionId;
    userId = `${prefix}u1`;
    server = await startTestServer(services);
    key = await keyFor(services, 'frontend');
  }, 600000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
    instance.stop();
  }, 120000);

  it('leaves the previous version serving and no half-published version active', async () => {
    const versions = new ModelVersionRepository(services.db);
    expect((await versions.active())?.id).toBe(previous);
    const before = await gql<{ recommendations: { strategy: string; modelVersion: string | null } }>(server.url, RECOMMEND, { u: userId }, key);
    expect(before.data?.recommendations.modelVersion).toBe(previous);

    const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-models-'));
    const run = runCli(entry, TRAIN, { ...env, MODELS_DIR: modelsDir });
    // Killed on the line that says the product vectors are written: users, lists and the flip are still to come.
    let killedAt = '';
    const watch = (chunk: Buffer): void => {
      const line = chunk.toString('utf8').match(/published \d+ Product embeddings/)?.[0];
      if (line && !killedAt) {
        run.child.kill('SIGKILL');
        killedAt = line;
      }
    };
    run.child.stderr?.on('data', watch);
    await exited(run.child, 300000);
    expect(killedAt).not.toBe('');
    expect(run.child.signalCode).toBe('SIGKILL');

    const half = (await versions.all()).find((v) => v.id !== previous && v.status === 'publishing');
    console.log(`train killed after "${killedAt}": active ${(await versions.active())?.id}, half-published ${half?.id} (${half?.status})`);
    expect(half).toBeDefined();
    expect(half?.active).toBe(false);
    expect((await versions.active())?.id).toBe(previous);
    services.activeModel.invalidate();
    const after = await gql<{ recommendations: { strategy: string; modelVersion: string | null; edges: unknown[] } }>(server.url, RECOMMEND, { u: userId }, key);
    expect(after.errors).toBeUndefined();
    expect(after.data?.recommendations.modelVersion).toBe(previous);
    expect(after.data?.recommendations.strategy).toBe(before.data?.recommendations.strategy);
    expect(after.data?.recommendations.edges).toHaveLength(5);
    fs.rmSync(modelsDir, { recursive: true, force: true });
  }, 400000);

  it('a read-only model store fails the run with a clear error, not a hang', async () => {
    const store = readOnlyDir('models');
    try {
      const started = Date.now();
      // MODELS_DIR itself read-only (a missing folder under a read-only one can only be reported as ENOENT).
      const run = runCli(entry, TRAIN, { ...env, MODELS_DIR: store.dir });
      const code = await exited(run.child, 300000).catch((error: unknown) => {
        run.child.kill('SIGKILL');
        throw error;
      });
      console.log(`read-only model store: exit ${code} after ${Date.now() - started} ms: ${run.output().match(/E(ROFS|ACCES)[^\n]*/)?.[0]}`);
      expect(code).not.toBe(0);
      expect(run.output()).toMatch(/EROFS|EACCES|read-only|permission denied/i);
      expect((await new ModelVersionRepository(services.db).active())?.id).toBe(previous);
    } finally {
      store.cleanup();
    }
  }, 400000);
});
