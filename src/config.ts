/**
 * One validated configuration object, read from the environment once.
 * Nothing else in the code base reads process.env (style.md).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Config {
  projectRoot: string;
  http: { host: string; port: number; maxBodyBytes: number; shutdownGraceMs: number; workers: number };
  neo4j: {
    uri: string;
    user: string;
    password: string;
    database: string | undefined;
    /** True when the project's own local Neo4j is used (NEO4J_URI unset). */
    local: boolean;
    connectionTimeoutMs: number;
    acquisitionTimeoutMs: number;
    maxRetryMs: number;
  };
  graphql: { maxDepth: number; maxComplexity: number; maxPageSize: number; maxEventBatch: number };
  embeddings: { textDim: number; graphDim: number };
  /** Where artifacts live: trained model versions and the sentence-encoder files. */
  models: { dir: string; textModelDir: string; textCacheDir: string };
  auth: { keyCacheMs: number };
  /** `affinity segment`: k is chosen by silhouette within [minK, maxK]. */
  segments: { minK: number; maxK: number };
  /** Signs recommendationIds; defaults to a value derived from the Neo4j password (stable per deployment). */
  recommendations: { secret: string };
  /**
   * What each server keeps in memory to answer published users without a Neo4j round trip
   * (serving-cache.service.ts): at most maxUsers users' candidate lists (0 turns it off), kept
   * current by polling Neo4j's change feed every pollMs.
   */
  servingCache: { maxUsers: number; pollMs: number; maxAwaitingLists: number };
  /** Bounds on analyst exploration: Neo4j-side transaction timeout, node cap, fan-out per node per hop. */
  analyst: { queryTimeoutMs: number; maxNodes: number; fanOutPerNode: number; maxScatterPoints: number };
  logLevel: string;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {}

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

function findProjectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The password the local Neo4j script generated, when we run our own Neo4j. */
function localPassword(homeDir: string): string {
  const file = path.join(homeDir, 'password');
  if (!fs.existsSync(file)) {
    throw new ConfigError(
      `No Neo4j password: ${file} is missing. Start the local Neo4j with "bash scripts/neo4j/neo4j.sh start" or set NEO4J_URI and NEO4J_PASSWORD.`,
    );
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export function loadConfig(env: Env = process.env): Config {
  const config = readConfig(env);
  config.recommendations.secret =
    env.RECOMMENDATION_SECRET || createHash('sha256').update(`affinity-recommendation:${config.neo4j.uri}:${config.neo4j.password}`).digest('hex');
  return config;
}

function readConfig(env: Env): Config {
  const projectRoot = findProjectRoot();
  const external = env.NEO4J_URI !== undefined && env.NEO4J_URI !== '';
  const neo4jHome = env.NEO4J_HOME_DIR || path.join(projectRoot, '.neo4j');
  const boltPort = int(env, 'NEO4J_BOLT_PORT', 7687, 1);
  return {
    projectRoot,
    http: {
      host: env.HOST || '0.0.0.0',
      port: int(env, 'PORT', 4000),
      maxBodyBytes: int(env, 'MAX_BODY_BYTES', 2 * 1024 * 1024, 1024),
      shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10000),
      workers: int(env, 'SERVER_WORKERS', 1, 1),
    },
    neo4j: {
      uri: external ? (env.NEO4J_URI as string) : `bolt://127.0.0.1:${boltPort}`,
      user: env.NEO4J_USER || 'neo4j',
      password: external ? env.NEO4J_PASSWORD || '' : env.NEO4J_PASSWORD || lazyPassword(neo4jHome),
      database: env.NEO4J_DATABASE || undefined,
      local: !external,
      connectionTimeoutMs: int(env, 'NEO4J_CONNECTION_TIMEOUT_MS', 2000, 1),
      acquisitionTimeoutMs: int(env, 'NEO4J_ACQUISITION_TIMEOUT_MS', 3000, 1),
      maxRetryMs: int(env, 'NEO4J_MAX_RETRY_MS', 2000, 0),
    },
    graphql: {
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 1),
      maxComplexity: int(env, 'GRAPHQL_MAX_COMPLEXITY', 20000, 1),
      maxPageSize: int(env, 'GRAPHQL_MAX_PAGE_SIZE', 100, 1),
      maxEventBatch: int(env, 'MAX_EVENT_BATCH', 1000, 1),
    },
    embeddings: {
      textDim: int(env, 'TEXT_EMBEDDING_DIM', 384, 1),
      graphDim: int(env, 'GRAPH_EMBEDDING_DIM', 64, 1),
    },
    models: {
      dir: env.MODELS_DIR || path.join(projectRoot, '.models', 'versions'),
      textModelDir: env.TEXT_MODEL_DIR || path.join(projectRoot, '.models', 'all-minilm-l6-v2'),
      textCacheDir: env.TEXT_CACHE_DIR || path.join(projectRoot, '.cache', 'text-embeddings'),
    },
    auth: { keyCacheMs: int(env, 'API_KEY_CACHE_MS', 30000) },
    segments: segmentRange(env),
    recommendations: { secret: '' },
    servingCache: {
      maxUsers: int(env, 'SERVING_CACHE_USERS', 200000),
      pollMs: int(env, 'SERVING_CACHE_POLL_MS', 250, 10),
      maxAwaitingLists: int(env, 'SERVING_CACHE_FOLD_IN_LISTS', 5000),
    },
    analyst: {
      queryTimeoutMs: int(env, 'ANALYST_QUERY_TIMEOUT_MS', 5000, 1),
      maxNodes: int(env, 'ANALYST_MAX_NODES', 500, 1),
      fanOutPerNode: int(env, 'ANALYST_FAN_OUT', 50, 1),
      maxScatterPoints: int(env, 'ANALYST_MAX_SCATTER_POINTS', 5000, 1),
    },
    logLevel: env.LOG_LEVEL || 'info',
  };
}

function segmentRange(env: Env): Config['segments'] {
  const minK = int(env, 'SEGMENT_MIN_K', 3, 2);
  const maxK = int(env, 'SEGMENT_MAX_K', 10, 2);
  if (maxK < minK) throw new ConfigError(`SEGMENT_MAX_K (${maxK}) must be ≥ SEGMENT_MIN_K (${minK})`);
  return { minK, maxK };
}

/** Read the generated password only when it exists, so commands that need no database still start. */
function lazyPassword(homeDir: string): string {
  try {
    return localPassword(homeDir);
  } catch {
    return '';
  }
}

export function requirePassword(config: Config): void {
  if (config.neo4j.password === '') {
    throw new ConfigError(
      config.neo4j.local
        ? 'No Neo4j password found: start the local Neo4j first ("bash scripts/neo4j/neo4j.sh start") or set NEO4J_URI/NEO4J_PASSWORD.'
        : 'NEO4J_URI is set but NEO4J_PASSWORD is empty.',
    );
  }
}
