/**
 * `affinity doctor`: what a newcomer checks when something is off, one line per check, each OK or a
 * sentence on what to do. Checks that need Neo4j are skipped (with the reason) when it does not answer.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';
import type { Services } from '../app';
import type { Config } from '../config';
import { Migrator } from '../db/migrator';
import { textEncoderMatch } from '../domain/text-encoder-match';
import { TextEmbedder } from '../ml/text';
import { MODEL_FILE, TOKENIZER_FILE } from '../ml/text/model-files';
import { ModelVersionRepository, SLOTS } from '../repositories/model-version.repository';
import { SystemRepository } from '../repositories/system.repository';

export interface DoctorLine {
  check: string;
  ok: boolean;
  /** What was found when ok; what to do otherwise. */
  detail: string;
}

const ok = (check: string, detail: string): DoctorLine => ({ check, ok: true, detail });
const fix = (check: string, detail: string): DoctorLine => ({ check, ok: false, detail });

/** Below this, training artifacts and Neo4j's store run out of room. */
export const MIN_FREE_BYTES = 2 * 1024 ** 3;
export const JAVA_MAJOR = 17;

export function checkNode(nodeVersion: string, engines: string | undefined): DoctorLine {
  if (!engines) return ok('node', `${nodeVersion}`);
  return semver.satisfies(nodeVersion, engines)
    ? ok('node', `${nodeVersion} (package.json engines: ${engines})`)
    : fix('node', `${nodeVersion} does not satisfy package.json engines "${engines}": install a Node that does (e.g. Node 20 LTS)`);
}

/** The major version in `java -version` output: `openjdk version "17.0.13"` -> 17, `"1.8.0_402"` -> 8. */
export function javaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  return m[1] === '1' && m[2] !== undefined ? Number(m[2]) : Number(m[1]);
}

export function checkJava(config: Config, run: () => string): DoctorLine {
  if (!config.neo4j.local) return ok('java', `not needed here: NEO4J_URI points at ${config.neo4j.uri}`);
  let output: string;
  try {
    output = run();
  } catch {
    return fix('java', `no java on PATH: install Java ${JAVA_MAJOR} (apt-get install openjdk-${JAVA_MAJOR}-jre-headless) for the local Neo4j, or set NEO4J_URI`);
  }
  const major = javaMajor(output);
  if (major === undefined) return fix('java', `could not read "java -version" (${output.split('\n')[0]}); the local Neo4j needs Java ${JAVA_MAJOR}`);
  return major >= JAVA_MAJOR ? ok('java', output.split('\n')[0].trim()) : fix('java', `Java ${major} found; the local Neo4j needs Java ${JAVA_MAJOR} or later`);
}

export function checkDisk(dir: string, freeBytes: (dir: string) => number): DoctorLine {
  const free = freeBytes(dir);
  const gib = (free / 1024 ** 3).toFixed(1);
  return free >= MIN_FREE_BYTES
    ? ok('disk', `${gib} GiB free under ${dir}`)
    : fix('disk', `only ${gib} GiB free under ${dir}: free some (old .models/versions/*, .cache/) before training or seeding`);
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function checkTextModel(config: Config): DoctorLine {
  const dir = config.models.textModelDir;
  const missing = [MODEL_FILE, TOKENIZER_FILE].filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0) return fix('text model', `${missing.join(', ')} missing in ${dir}: run "bash scripts/fetch-model.sh" (npm start does)`);
  const sums = [MODEL_FILE, TOKENIZER_FILE].map((f) => `${f} sha256 ${sha256File(path.join(dir, f)).slice(0, 16)}`);
  return ok('text model', `${dir}: ${sums.join(', ')}`);
}

/** The encoder's real output size against TEXT_EMBEDDING_DIM (one text encoded). */
async function checkEncoder(config: Config): Promise<DoctorLine> {
  const embedder = new TextEmbedder({ encoder: config.models.textEncoder, modelDir: config.models.textModelDir, cacheDir: config.models.textCacheDir });
  try {
    const [vector] = await embedder.embedMany(['affinity doctor']);
    return vector.length === config.embeddings.textDim
      ? ok('encoder', `encodes ${vector.length}-d vectors (TEXT_EMBEDDING_DIM ${config.embeddings.textDim})`)
      : fix('encoder', `the model encodes ${vector.length}-d vectors but TEXT_EMBEDDING_DIM is ${config.embeddings.textDim}: set TEXT_EMBEDDING_DIM=${vector.length}`);
  } catch (error) {
    return fix('encoder', `the text model does not load (${error instanceof Error ? error.message : String(error)}): re-run "bash scripts/fetch-model.sh"`);
  } finally {
    await embedder.close();
  }
}

/** Everything that needs the database; `reason` is why those checks are skipped when it does not answer. */
async function databaseChecks(services: Services): Promise<DoctorLine[]> {
  const { config, db } = services;
  const lines: DoctorLine[] = [];
  const system = new SystemRepository(db);
  try {
    await db.ping(3000);
    const v = await system.neo4jVersion();
    lines.push(ok('neo4j', `${config.neo4j.uri} answers: ${v ? `${v.name} ${v.version} ${v.edition}` : 'version unknown'}`));
  } catch (error) {
    const how = config.neo4j.local ? 'start it with "bash scripts/neo4j/neo4j.sh start"' : 'check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD';
    lines.push(fix('neo4j', `${config.neo4j.uri} does not answer (${error instanceof Error ? error.message : String(error)}): ${how}`));
    for (const check of ['migrations', 'indexes', 'model version']) lines.push(fix(check, 'not checked: Neo4j does not answer'));
    return lines;
  }

  try {
    const status = await new Migrator(db).status(path.join(config.projectRoot, 'migrations'));
    lines.push(
      status.pending.length === 0
        ? ok('migrations', `${status.applied} applied, none pending`)
        : fix('migrations', `${status.pending.length} pending (${status.pending.map((f) => f.file).join(', ')}): run "affinity migrate"`),
    );
  } catch (error) {
    lines.push(fix('migrations', `${error instanceof Error ? error.message : String(error)}`));
  }

  const active = await new ModelVersionRepository(db).active();
  const indexes = await system.vectorIndexes();
  const wrong: string[] = [];
  for (const index of indexes) {
    const want = index.property === 'textEmbedding' ? config.embeddings.textDim : active && active.slot && index.property === SLOTS[active.slot].property ? active.dim : null;
    if (want !== null && index.dimensions !== want) wrong.push(`${index.name} is ${index.dimensions}-d, expected ${want}`);
    if (index.state !== 'ONLINE') wrong.push(`${index.name} is ${index.state}`);
  }
  const text = indexes.find((i) => i.property === 'textEmbedding');
  if (!text) lines.push(fix('indexes', 'no vector index on Product.textEmbedding: run "affinity migrate"'));
  else if (wrong.length > 0)
    lines.push(fix('indexes', `${wrong.join('; ')}: an index built for another encoder or model must be dropped and rebuilt ("affinity migrate" for text, "affinity train" or "publish" for the GAT)`));
  else lines.push(ok('indexes', indexes.map((i) => `${i.name} ${i.dimensions}-d`).join(', ')));

  if (!active) lines.push(fix('model version', 'none active: run "affinity train" (npm start does it once)'));
  else {
    const artifact = active.artifactDir ? path.join(active.artifactDir, 'metadata.json') : undefined;
    if (!artifact || !fs.existsSync(artifact)) {
      lines.push(fix('model version', `${active.id} is active but its artifact ${artifact ?? '(none recorded)'} is not on this machine: fold-in and reasons will ask Neo4j; copy .models/versions/${active.id} here or retrain`));
    } else {
      lines.push(ok('model version', `${active.id} (slot ${active.slot}, ${active.dim}-d), metadata.json sha256 ${sha256File(artifact).slice(0, 16)}`));
    }
    const current = await services.activeModel.current();
    const match = textEncoderMatch(config.models.textEncoder, current && { id: current.id, textDim: services.activeModel.textDim(current) });
    if (match.message) lines.push(fix('text encoder', match.message));
  }
  return lines;
}

/** The serving cache of a server running on this machine, through its admin listener. */
async function checkServingCache(config: Config): Promise<DoctorLine> {
  const host = config.admin.host === '0.0.0.0' ? '127.0.0.1' : config.admin.host;
  const url = `http://${host}:${config.admin.port}/readyz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { status: string; reason?: string; servingCache?: { state: string; users: number; products: number } };
    const cache = body.servingCache;
    if (response.status !== 200) return fix('serving cache', `the server at ${url} is not ready: ${body.reason ?? body.status}`);
    if (!cache) return ok('serving cache', `the server at ${url} is ready (no serving cache reported)`);
    return cache.state === 'ready' || cache.state === 'off' || cache.state === 'loading' || cache.state === 'idle'
      ? ok('serving cache', `${cache.state}: ${cache.users} users, ${cache.products} products (server at ${url})`)
      : fix('serving cache', `${cache.state}: requests go to Neo4j meanwhile; see the server's log`);
  } catch {
    return ok('serving cache', `no server answers on ${url} (start one with "affinity serve"; ADMIN_HOST/ADMIN_PORT if it listens elsewhere)`);
  }
}

function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

function engines(projectRoot: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node;
  } catch {
    return undefined;
  }
}

/** Every check, in the order a newcomer would fix them; `services` is absent when there is no Neo4j password. */
export async function runDoctor(config: Config, services: Services | undefined): Promise<DoctorLine[]> {
  const lines = [
    checkNode(process.versions.node, engines(config.projectRoot)),
    checkJava(config, () => {
      // java -version writes to stderr.
      const run = spawnSync('java', ['-version'], { encoding: 'utf8' });
      if (run.error) throw run.error;
      return `${run.stderr}${run.stdout}`;
    }),
  ];
  if (services) lines.push(...(await databaseChecks(services)));
  else lines.push(fix('neo4j', 'no Neo4j password: start the local Neo4j ("bash scripts/neo4j/neo4j.sh start") or set NEO4J_URI and NEO4J_PASSWORD'));
  lines.push(checkTextModel(config));
  if (lines[lines.length - 1].ok) lines.push(await checkEncoder(config));
  lines.push(await checkServingCache(config));
  lines.push(checkDisk(config.projectRoot, freeBytes));
  return lines;
}

export function formatDoctor(lines: readonly DoctorLine[]): string {
  const width = Math.max(...lines.map((l) => l.check.length));
  return lines.map((l) => `${l.ok ? 'OK ' : 'FIX'}  ${l.check.padEnd(width)}  ${l.detail}`).join('\n');
}
