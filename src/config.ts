/**
 * One validated configuration object, read from the environment once and checked by a zod schema
 * that reports every bad variable together. Nothing else in the code base reads process.env (style.md).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { Role } from './auth/roles';

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
  /**
   * Requests per API key per durationS seconds, by the key's role; 0 = no limit for that role.
   * Counted in each server process (rate-limiter-flexible's memory store), so N workers or replicas
   * each allow this many.
   */
  rateLimit: { durationS: number; points: Record<Role, number> };
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
  /** The operations listener: /metrics and readiness details, off the public port (loopback by default). */
  admin: { host: string; port: number };
  /** Browser origins allowed to call /graphql (none: no CORS headers); credentials only when asked for. */
  cors: { origins: string[]; allowCredentials: boolean };
  /** Automatic persisted queries: hash-only requests, also as GET so a CDN can cache catalogue reads. */
  httpCaching: { persistedQueries: boolean };
}

type Env = Record<string, string | undefined>;

/** Every bad variable at once, one per line, with what was expected and what was found. */
export class ConfigError extends Error {}

/** An integer variable: unset or empty gives the default. */
const int = (fallback: number, min = 0) => {
  const expected = `expected an integer ≥ ${min}`;
  return z.coerce.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).default(fallback);
};

/** A boolean variable: true/false/1/0/yes/no; unset or empty gives the default. */
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .default(fallback);

/** A comma-separated list variable: unset or empty gives none. */
const list = () => z.string().transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s !== '')).default([]);

/** A text variable: unset or empty gives the default. */
const text = (fallback: string) => z.string().default(fallback);
const optionalText = () => z.string().optional();

/**
 * The environment variables we read, by name, with their defaults. Empty values count as unset
 * (an `X=` line in a .env file means "not set"), as they did before the schema existed.
 */
const envSchema = z
  .object({
    HOST: text('0.0.0.0'),
    PORT: int(4000),
    MAX_BODY_BYTES: int(2 * 1024 * 1024, 1024),
    SHUTDOWN_GRACE_MS: int(10000),
    SERVER_WORKERS: int(1, 1),
    NEO4J_URI: optionalText(),
    NEO4J_HOME_DIR: optionalText(),
    NEO4J_BOLT_PORT: int(7687, 1),
    NEO4J_USER: text('neo4j'),
    NEO4J_PASSWORD: optionalText(),
    NEO4J_DATABASE: optionalText(),
    NEO4J_CONNECTION_TIMEOUT_MS: int(2000, 1),
    NEO4J_ACQUISITION_TIMEOUT_MS: int(3000, 1),
    NEO4J_MAX_RETRY_MS: int(2000, 0),
    GRAPHQL_MAX_DEPTH: int(10, 1),
    GRAPHQL_MAX_COMPLEXITY: int(20000, 1),
    GRAPHQL_MAX_PAGE_SIZE: int(100, 1),
    MAX_EVENT_BATCH: int(1000, 1),
    TEXT_EMBEDDING_DIM: int(384, 1),
    GRAPH_EMBEDDING_DIM: int(64, 1),
    MODELS_DIR: optionalText(),
    TEXT_MODEL_DIR: optionalText(),
    TEXT_CACHE_DIR: optionalText(),
    API_KEY_CACHE_MS: int(30000),
    // Per API key and server process; 0 turns the limit off for that role.
    RATE_LIMIT_DURATION_S: int(1, 1),
    RATE_LIMIT_POINTS: int(5000),
    RATE_LIMIT_PARTNER_POINTS: int(100),
    SEGMENT_MIN_K: int(3, 2),
    SEGMENT_MAX_K: int(10, 2),
    RECOMMENDATION_SECRET: optionalText(),
    SERVING_CACHE_USERS: int(200000),
    SERVING_CACHE_POLL_MS: int(250, 10),
    SERVING_CACHE_FOLD_IN_LISTS: int(5000),
    ANALYST_QUERY_TIMEOUT_MS: int(5000, 1),
    ANALYST_MAX_NODES: int(500, 1),
    ANALYST_FAN_OUT: int(50, 1),
    ANALYST_MAX_SCATTER_POINTS: int(5000, 1),
    LOG_LEVEL: text('info'),
    ADMIN_HOST: text('127.0.0.1'),
    // Prometheus exporters' usual port; 0 picks a free one (tests).
    ADMIN_PORT: int(9464),
    CORS_ORIGINS: list(),
    CORS_ALLOW_CREDENTIALS: bool(false),
    PERSISTED_QUERIES: bool(true),
  })
  .refine((env) => env.SEGMENT_MAX_K >= env.SEGMENT_MIN_K, {
    path: ['SEGMENT_MAX_K'],
    error: 'expected an integer ≥ SEGMENT_MIN_K',
  });

type ParsedEnv = z.infer<typeof envSchema>;

function parseEnv(env: Env): ParsedEnv {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(given);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const raw = given[name];
    return `  ${name}${raw === undefined ? '' : `="${raw}"`}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
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
  const vars = parseEnv(env);
  const config = toConfig(vars);
  config.recommendations.secret =
    vars.RECOMMENDATION_SECRET ?? createHash('sha256').update(`affinity-recommendation:${config.neo4j.uri}:${config.neo4j.password}`).digest('hex');
  return config;
}

function toConfig(env: ParsedEnv): Config {
  const projectRoot = findProjectRoot();
  const external = env.NEO4J_URI !== undefined;
  const neo4jHome = env.NEO4J_HOME_DIR ?? path.join(projectRoot, '.neo4j');
  return {
    projectRoot,
    http: {
      host: env.HOST,
      port: env.PORT,
      maxBodyBytes: env.MAX_BODY_BYTES,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      workers: env.SERVER_WORKERS,
    },
    neo4j: {
      uri: env.NEO4J_URI ?? `bolt://127.0.0.1:${env.NEO4J_BOLT_PORT}`,
      user: env.NEO4J_USER,
      password: external ? env.NEO4J_PASSWORD ?? '' : env.NEO4J_PASSWORD ?? lazyPassword(neo4jHome),
      database: env.NEO4J_DATABASE,
      local: !external,
      connectionTimeoutMs: env.NEO4J_CONNECTION_TIMEOUT_MS,
      acquisitionTimeoutMs: env.NEO4J_ACQUISITION_TIMEOUT_MS,
      maxRetryMs: env.NEO4J_MAX_RETRY_MS,
    },
    graphql: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxComplexity: env.GRAPHQL_MAX_COMPLEXITY,
      maxPageSize: env.GRAPHQL_MAX_PAGE_SIZE,
      maxEventBatch: env.MAX_EVENT_BATCH,
    },
    embeddings: { textDim: env.TEXT_EMBEDDING_DIM, graphDim: env.GRAPH_EMBEDDING_DIM },
    models: {
      dir: env.MODELS_DIR ?? path.join(projectRoot, '.models', 'versions'),
      textModelDir: env.TEXT_MODEL_DIR ?? path.join(projectRoot, '.models', 'all-minilm-l6-v2'),
      textCacheDir: env.TEXT_CACHE_DIR ?? path.join(projectRoot, '.cache', 'text-embeddings'),
    },
    auth: { keyCacheMs: env.API_KEY_CACHE_MS },
    rateLimit: {
      durationS: env.RATE_LIMIT_DURATION_S,
      points: {
        frontend: env.RATE_LIMIT_POINTS,
        analyst: env.RATE_LIMIT_POINTS,
        admin: env.RATE_LIMIT_POINTS,
        partner: env.RATE_LIMIT_PARTNER_POINTS,
      },
    },
    segments: { minK: env.SEGMENT_MIN_K, maxK: env.SEGMENT_MAX_K },
    recommendations: { secret: '' },
    servingCache: {
      maxUsers: env.SERVING_CACHE_USERS,
      pollMs: env.SERVING_CACHE_POLL_MS,
      maxAwaitingLists: env.SERVING_CACHE_FOLD_IN_LISTS,
    },
    analyst: {
      queryTimeoutMs: env.ANALYST_QUERY_TIMEOUT_MS,
      maxNodes: env.ANALYST_MAX_NODES,
      fanOutPerNode: env.ANALYST_FAN_OUT,
      maxScatterPoints: env.ANALYST_MAX_SCATTER_POINTS,
    },
    logLevel: env.LOG_LEVEL,
    admin: { host: env.ADMIN_HOST, port: env.ADMIN_PORT },
    cors: { origins: env.CORS_ORIGINS, allowCredentials: env.CORS_ALLOW_CREDENTIALS },
    httpCaching: { persistedQueries: env.PERSISTED_QUERIES },
  };
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
