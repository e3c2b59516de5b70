/**
 * One validated configuration object, read from the environment once and checked by a zod schema
 * that reports every bad variable together. Nothing else in the code base reads process.env (style.md).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { Role } from './auth/roles';
import { CALLERS, isCaller, type Caller } from './auth/surface-access';
import { DEFAULT_BANNED_WORDS } from './services/copy/banned-claims';
import { TEXT_ENCODERS, TEXT_ENCODER_NAMES, type TextEncoderName } from './ml/text/encoders';

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
    /** After Neo4j was found unreachable, transactions fail at once; one probes this often (0: off). */
    breakerResetMs: number;
  };
  graphql: { maxDepth: number; maxComplexity: number; maxPageSize: number; maxEventBatch: number };
  /**
   * The interaction event journal (README "Durable events and degraded mode"): events are appended
   * (group-commit fdatasync) beside their Neo4j write, so an acknowledged event survives a crash, and
   * while Neo4j is down they are acknowledged from the journal, at most maxUnflushed of them.
   */
  events: { journal: boolean; journalDir: string; journalFlushMs: number; journalBatch: number; maxUnflushed: number };
  embeddings: { textDim: number; graphDim: number };
  /** Where artifacts live: trained model versions and the sentence-encoder files (of textEncoder). */
  models: { dir: string; textModelDir: string; textCacheDir: string; textEncoder: TextEncoderName };
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
  recommendations: { secret: string; trendingCacheMs: number };
  /**
   * What each server keeps in memory to answer published users without a Neo4j round trip
   * (serving-cache.service.ts): at most maxUsers users' candidate lists (0 turns it off), kept
   * current by polling Neo4j's change feed every pollMs; the users held within maxBytes (README:
   * "Serving-cache memory budget"), the least recently asked-for dropped first.
   */
  servingCache: { maxUsers: number; pollMs: number; maxAwaitingLists: number; maxBytes: number };
  /** Bounds on analyst exploration: Neo4j-side transaction timeout, node cap, fan-out per node per hop. */
  analyst: { queryTimeoutMs: number; maxNodes: number; fanOutPerNode: number; maxScatterPoints: number };
  /**
   * Generated copy and the shopping assistant (src/services/copy/): the model is the embedded GGUF
   * file (`modelPath`), an OpenAI-compatible endpoint (`endpoint`), or none (templates only).
   */
  copy: {
    model: 'embedded' | 'endpoint' | 'none';
    modelPath: string;
    endpoint: { baseUrl: string; model: string; apiKey: string | undefined } | null;
    /** CONSTRAINED: grammar with fact slots (needs the embedded model); FREE: the model writes freely. */
    mode: 'CONSTRAINED' | 'FREE';
    threads: number;
    contextSize: number;
    timeoutMs: number;
    maxQueue: number;
    /** Samples drawn per request: at least the variants asked for, at most variants × this. */
    samplesPerVariant: number;
    maxTokens: number;
    temperature: number;
    bannedWords: string[];
    cacheEntries: number;
    assistant: { candidates: number; minScore: number; conversationTtlMs: number; maxTurns: number; maxConversations: number };
  };
  /**
   * Affiliate partners: members per partnerRecommendations call and per linkMembers call, the
   * tracking links' AES-256-GCM key (64 hex digits; derived from the Neo4j password unless set) and
   * public base URL, the click de-dup window and journal, the conversion lock period, and the
   * privacy rules of partner-facing counts (minimum group sizes, Laplace noise, epsilon budget).
   */
  partners: {
    maxMemberRefs: number;
    maxLinkBatch: number;
    linkKey: string;
    publicBaseUrl: string;
    clickDedupWindowMs: number;
    journalDir: string;
    journalFlushMs: number;
    journalBatch: number;
    conversionLockMs: number;
    minAudience: number;
    minEvents: number;
    epsilonPerQuery: number;
    epsilonBudget: number;
  };
  /**
   * The continuous trainer (`affinity trainer`, `serve --trainer`): a cycle starts when minNewEvents
   * events arrived since the active version's snapshot or intervalMinutes passed since the last cycle
   * (0 = no schedule), checked every pollSeconds; one trainer per database holds a lease of
   * leaseSeconds in Neo4j; a candidate publishes only if its test NDCG@20 on the recent held-out
   * window is at least the active version's minus margin.
   */
  trainer: { minNewEvents: number; intervalMinutes: number; pollSeconds: number; leaseSeconds: number; margin: number; maxSeconds: number; serve: boolean };
  /**
   * Experiments (experiment-serving.ts): running ones re-read every refreshMs, counts flushed every
   * flushMs; a variant is stopped when its error rate exceeds control's by errorMargin (a share) or
   * its p99 by latencyMargin (a share of control's), once both served minRequests.
   */
  experiments: { refreshMs: number; flushMs: number; guardrails: { errorMargin: number; latencyMargin: number; minRequests: number } };
  logLevel: string;
  /** The operations listener: /metrics and readiness details, off the public port (loopback by default). */
  admin: { host: string; port: number };
  /** Browser origins allowed to call /graphql (none: no CORS headers); credentials only when asked for. */
  cors: { origins: string[]; allowCredentials: boolean };
  /** Automatic persisted queries: hash-only requests, also as GET so a CDN can cache catalogue reads. */
  httpCaching: { persistedQueries: boolean };
  /** Callers (roles, or anonymous: no key) allowed to introspect the schema and to load /explore (src/auth/surface-access.ts). */
  surfaces: { introspection: Caller[]; explore: Caller[] };
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

/** A comma-separated list of callers (surface-access.ts), `none` for nobody; unset or empty gives every caller. */
const callers = () =>
  z
    .string()
    .transform((v, ctx) => {
      const names = v.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
      const unknown = names.filter((s) => !isCaller(s));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `expected roles out of ${CALLERS.join(', ')} (or none); found ${unknown.join(', ')}` });
      return names.filter(isCaller);
    })
    .default([...CALLERS]);

/** A non-negative number variable: unset or empty gives the default. */
const num = (fallback: number) => {
  const expected = 'expected a number ≥ 0';
  return z.coerce.number({ error: expected }).min(0, { error: expected }).default(fallback);
};

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
    NEO4J_BREAKER_RESET_MS: int(1000, 0),
    GRAPHQL_MAX_DEPTH: int(10, 1),
    GRAPHQL_MAX_COMPLEXITY: int(20000, 1),
    GRAPHQL_MAX_PAGE_SIZE: int(100, 1),
    MAX_EVENT_BATCH: int(1000, 1),
    EVENT_JOURNAL: bool(true),
    EVENT_JOURNAL_DIR: optionalText(),
    EVENT_JOURNAL_FLUSH_MS: int(100, 1),
    EVENT_JOURNAL_BATCH: int(500, 1),
    EVENT_JOURNAL_MAX_EVENTS: int(1_000_000, 1),
    // The sentence encoder; TEXT_EMBEDDING_DIM follows it (384 / 512) unless set, and must then agree.
    TEXT_ENCODER: z.enum(TEXT_ENCODER_NAMES as [TextEncoderName, ...TextEncoderName[]], { error: `expected one of ${TEXT_ENCODER_NAMES.join(', ')}` }).default('all-minilm-l6-v2'),
    TEXT_EMBEDDING_DIM: z.coerce.number({ error: 'expected an integer ≥ 1' }).int({ error: 'expected an integer ≥ 1' }).min(1, { error: 'expected an integer ≥ 1' }).optional(),
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
    // How long the trending pool (cold-start and popular candidates) is shared before it is read again.
    TRENDING_CACHE_MS: int(30000),
    SERVING_CACHE_USERS: int(2000000),
    SERVING_CACHE_POLL_MS: int(250, 10),
    SERVING_CACHE_FOLD_IN_LISTS: int(5000),
    // Per server process (worker); README "Serving-cache memory budget" gives the sizing.
    SERVING_CACHE_MB: num(1024),
    ANALYST_QUERY_TIMEOUT_MS: int(5000, 1),
    ANALYST_MAX_NODES: int(500, 1),
    ANALYST_FAN_OUT: int(50, 1),
    ANALYST_MAX_SCATTER_POINTS: int(5000, 1),
    COPY_MODEL: z.enum(['embedded', 'endpoint', 'none'], { error: 'expected embedded, endpoint or none' }).optional(),
    COPY_MODEL_PATH: optionalText(),
    COPY_ENDPOINT_URL: z.url({ error: 'expected a URL such as http://localhost:8080/v1' }).optional(),
    COPY_ENDPOINT_MODEL: text('default'),
    COPY_ENDPOINT_API_KEY: optionalText(),
    COPY_MODE: z.enum(['constrained', 'free'], { error: 'expected constrained or free' }).optional(),
    // llama.cpp's threads spin-wait at barriers: on a busy 2-core machine 2 threads ran ~20x slower than 1.
    COPY_THREADS: int(1, 1),
    COPY_CONTEXT_SIZE: int(1024, 256),
    COPY_TIMEOUT_MS: int(30000, 100),
    COPY_QUEUE_MAX: int(8),
    COPY_SAMPLES_PER_VARIANT: int(2, 1),
    COPY_MAX_TOKENS: int(60, 4),
    COPY_TEMPERATURE: z.coerce.number({ error: 'expected a number in [0, 2]' }).min(0).max(2).default(0.8),
    COPY_BANNED_WORDS: optionalText(),
    COPY_CACHE_ENTRIES: int(2000),
    ASSISTANT_CANDIDATES: int(5, 1),
    // Neo4j's cosine score, (1 + cos) / 2: 0.65 is cos 0.3. Off-catalogue questions scored 0.50-0.59 in tests, matches 0.72+.
    ASSISTANT_MIN_SCORE: z.coerce.number({ error: 'expected a number in [0, 1]' }).min(0).max(1).default(0.65),
    ASSISTANT_CONVERSATION_TTL_MS: int(30 * 60 * 1000, 1000),
    ASSISTANT_MAX_TURNS: int(6, 1),
    ASSISTANT_MAX_CONVERSATIONS: int(10000, 1),
    TRAINER_MIN_NEW_EVENTS: int(10000, 1),
    TRAINER_INTERVAL_MINUTES: int(0),
    TRAINER_POLL_SECONDS: int(60, 1),
    TRAINER_LEASE_SECONDS: int(120, 5),
    TRAINER_MARGIN: num(0.005),
    TRAINER_MAX_SECONDS: int(600, 1),
    SERVE_TRAINER: bool(false),
    EXPERIMENT_REFRESH_MS: int(5000, 10),
    EXPERIMENT_FLUSH_MS: int(5000, 10),
    EXPERIMENT_GUARDRAIL_ERROR_PCT: int(2),
    EXPERIMENT_GUARDRAIL_LATENCY_PCT: int(50),
    EXPERIMENT_GUARDRAIL_MIN_REQUESTS: int(200, 1),
    LOG_LEVEL: text('info'),
    PARTNER_MAX_MEMBER_REFS: int(50, 1),
    PARTNER_MAX_LINK_BATCH: int(1000, 1),
    PARTNER_LINK_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hex digits (a 256-bit key)' })
      .optional(),
    PUBLIC_BASE_URL: optionalText(),
    CLICK_DEDUP_WINDOW_S: int(30),
    CLICK_JOURNAL_DIR: optionalText(),
    CLICK_JOURNAL_FLUSH_MS: int(100, 1),
    CLICK_JOURNAL_BATCH: int(2000, 1),
    CONVERSION_LOCK_DAYS: int(30),
    PRIVACY_MIN_AUDIENCE: int(50, 1),
    PRIVACY_MIN_EVENTS: int(10, 1),
    PRIVACY_EPSILON_PER_QUERY: z.coerce.number({ error: 'expected a number ≥ 0' }).min(0, { error: 'expected a number ≥ 0' }).default(0.5),
    PRIVACY_EPSILON_BUDGET: z.coerce.number({ error: 'expected a number ≥ 0' }).min(0, { error: 'expected a number ≥ 0' }).default(10),
    ADMIN_HOST: text('127.0.0.1'),
    // Prometheus exporters' usual port; 0 picks a free one (tests).
    ADMIN_PORT: int(9464),
    CORS_ORIGINS: list(),
    INTROSPECTION_ROLES: callers(),
    EXPLORE_ROLES: callers(),
    CORS_ALLOW_CREDENTIALS: bool(false),
    PERSISTED_QUERIES: bool(true),
  })
  .refine((env) => env.COPY_MODEL !== 'endpoint' || env.COPY_ENDPOINT_URL !== undefined, {
    path: ['COPY_MODEL'],
    error: 'COPY_MODEL=endpoint needs COPY_ENDPOINT_URL',
  })
  .refine((env) => env.SEGMENT_MAX_K >= env.SEGMENT_MIN_K, {
    path: ['SEGMENT_MAX_K'],
    error: 'expected an integer ≥ SEGMENT_MIN_K',
  })
  .refine((env) => env.TEXT_EMBEDDING_DIM === undefined || env.TEXT_EMBEDDING_DIM === TEXT_ENCODERS[env.TEXT_ENCODER].dim, {
    path: ['TEXT_EMBEDDING_DIM'],
    error: 'expected the TEXT_ENCODER\'s width (all-minilm-l6-v2: 384, bge-small-zh-v1.5: 512) or unset',
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
  config.partners.linkKey =
    vars.PARTNER_LINK_KEY ?? createHash('sha256').update(`affinity-partner-links:${config.neo4j.uri}:${config.neo4j.password}`).digest('hex');
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
      breakerResetMs: env.NEO4J_BREAKER_RESET_MS,
    },
    graphql: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxComplexity: env.GRAPHQL_MAX_COMPLEXITY,
      maxPageSize: env.GRAPHQL_MAX_PAGE_SIZE,
      maxEventBatch: env.MAX_EVENT_BATCH,
    },
    events: {
      journal: env.EVENT_JOURNAL,
      journalDir: env.EVENT_JOURNAL_DIR ?? path.join(projectRoot, '.journal'),
      journalFlushMs: env.EVENT_JOURNAL_FLUSH_MS,
      journalBatch: env.EVENT_JOURNAL_BATCH,
      maxUnflushed: env.EVENT_JOURNAL_MAX_EVENTS,
    },
    embeddings: { textDim: env.TEXT_EMBEDDING_DIM ?? TEXT_ENCODERS[env.TEXT_ENCODER].dim, graphDim: env.GRAPH_EMBEDDING_DIM },
    models: {
      dir: env.MODELS_DIR ?? path.join(projectRoot, '.models', 'versions'),
      textModelDir: env.TEXT_MODEL_DIR ?? path.join(projectRoot, '.models', env.TEXT_ENCODER),
      textEncoder: env.TEXT_ENCODER,
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
    recommendations: { secret: '', trendingCacheMs: env.TRENDING_CACHE_MS },
    servingCache: {
      maxUsers: env.SERVING_CACHE_USERS,
      pollMs: env.SERVING_CACHE_POLL_MS,
      maxAwaitingLists: env.SERVING_CACHE_FOLD_IN_LISTS,
      maxBytes: Math.round(env.SERVING_CACHE_MB * 2 ** 20),
    },
    analyst: {
      queryTimeoutMs: env.ANALYST_QUERY_TIMEOUT_MS,
      maxNodes: env.ANALYST_MAX_NODES,
      fanOutPerNode: env.ANALYST_FAN_OUT,
      maxScatterPoints: env.ANALYST_MAX_SCATTER_POINTS,
    },
    copy: copyConfig(env, projectRoot),
    partners: {
      maxMemberRefs: env.PARTNER_MAX_MEMBER_REFS,
      maxLinkBatch: env.PARTNER_MAX_LINK_BATCH,
      linkKey: '',
      publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
      clickDedupWindowMs: env.CLICK_DEDUP_WINDOW_S * 1000,
      journalDir: env.CLICK_JOURNAL_DIR ?? path.join(projectRoot, '.journal'),
      journalFlushMs: env.CLICK_JOURNAL_FLUSH_MS,
      journalBatch: env.CLICK_JOURNAL_BATCH,
      conversionLockMs: env.CONVERSION_LOCK_DAYS * 86_400_000,
      minAudience: env.PRIVACY_MIN_AUDIENCE,
      minEvents: env.PRIVACY_MIN_EVENTS,
      epsilonPerQuery: env.PRIVACY_EPSILON_PER_QUERY,
      epsilonBudget: env.PRIVACY_EPSILON_BUDGET,
    },
    trainer: {
      minNewEvents: env.TRAINER_MIN_NEW_EVENTS,
      intervalMinutes: env.TRAINER_INTERVAL_MINUTES,
      pollSeconds: env.TRAINER_POLL_SECONDS,
      leaseSeconds: env.TRAINER_LEASE_SECONDS,
      margin: env.TRAINER_MARGIN,
      maxSeconds: env.TRAINER_MAX_SECONDS,
      serve: env.SERVE_TRAINER,
    },
    experiments: {
      refreshMs: env.EXPERIMENT_REFRESH_MS,
      flushMs: env.EXPERIMENT_FLUSH_MS,
      guardrails: {
        errorMargin: env.EXPERIMENT_GUARDRAIL_ERROR_PCT / 100,
        latencyMargin: env.EXPERIMENT_GUARDRAIL_LATENCY_PCT / 100,
        minRequests: env.EXPERIMENT_GUARDRAIL_MIN_REQUESTS,
      },
    },
    logLevel: env.LOG_LEVEL,
    admin: { host: env.ADMIN_HOST, port: env.ADMIN_PORT },
    cors: { origins: env.CORS_ORIGINS, allowCredentials: env.CORS_ALLOW_CREDENTIALS },
    httpCaching: { persistedQueries: env.PERSISTED_QUERIES },
    surfaces: { introspection: env.INTROSPECTION_ROLES, explore: env.EXPLORE_ROLES },
  };
}

function copyConfig(env: ParsedEnv, projectRoot: string): Config['copy'] {
  const endpoint = env.COPY_ENDPOINT_URL ? { baseUrl: env.COPY_ENDPOINT_URL, model: env.COPY_ENDPOINT_MODEL, apiKey: env.COPY_ENDPOINT_API_KEY } : null;
  const model = env.COPY_MODEL ?? (endpoint ? 'endpoint' : 'embedded');
  return {
    model,
    modelPath: env.COPY_MODEL_PATH ?? path.join(projectRoot, '.models', 'smollm2', 'SmolLM2-135M-Instruct.Q4_1.gguf'),
    endpoint,
    // Endpoints take no grammar, so they generate free-form unless told otherwise.
    mode: env.COPY_MODE ? (env.COPY_MODE === 'free' ? 'FREE' : 'CONSTRAINED') : model === 'endpoint' ? 'FREE' : 'CONSTRAINED',
    threads: env.COPY_THREADS,
    contextSize: env.COPY_CONTEXT_SIZE,
    timeoutMs: env.COPY_TIMEOUT_MS,
    maxQueue: env.COPY_QUEUE_MAX,
    samplesPerVariant: env.COPY_SAMPLES_PER_VARIANT,
    maxTokens: env.COPY_MAX_TOKENS,
    temperature: env.COPY_TEMPERATURE,
    bannedWords: env.COPY_BANNED_WORDS ? env.COPY_BANNED_WORDS.split(',').map((w) => w.trim()).filter(Boolean) : DEFAULT_BANNED_WORDS,
    cacheEntries: env.COPY_CACHE_ENTRIES,
    assistant: {
      candidates: env.ASSISTANT_CANDIDATES,
      minScore: env.ASSISTANT_MIN_SCORE,
      conversationTtlMs: env.ASSISTANT_CONVERSATION_TTL_MS,
      maxTurns: env.ASSISTANT_MAX_TURNS,
      maxConversations: env.ASSISTANT_MAX_CONVERSATIONS,
    },
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
