import { ConfigError, loadConfig } from '../../src/config';

// An external URI and password, so no test depends on a local Neo4j's password file.
const base = { NEO4J_URI: 'bolt://db.example:7687', NEO4J_PASSWORD: 'secret' };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults when nothing is set', () => {
    const config = loadConfig(base);
    expect(config.http).toEqual({ host: '0.0.0.0', port: 4000, maxBodyBytes: 2 * 1024 * 1024, shutdownGraceMs: 10000, workers: 1 });
    expect(config.neo4j).toMatchObject({ uri: 'bolt://db.example:7687', user: 'neo4j', password: 'secret', database: undefined, local: false });
    expect(config.graphql).toEqual({ maxDepth: 10, maxComplexity: 20000, maxPageSize: 100, maxEventBatch: 1000 });
    expect(config.segments).toEqual({ minK: 3, maxK: 10 });
    expect(config.servingCache).toEqual({ maxUsers: 2000000, pollMs: 250, maxAwaitingLists: 5000, maxBytes: 1024 * 2 ** 20 });
    expect(config.rateLimit).toEqual({ durationS: 1, points: { frontend: 5000, analyst: 5000, admin: 5000, partner: 100 } });
    expect(config.logLevel).toBe('info');
    expect(config.recommendations.secret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the variables it is given and treats an empty value as unset', () => {
    const config = loadConfig({ ...base, PORT: '8080', HOST: '', GRAPHQL_MAX_PAGE_SIZE: '50', RECOMMENDATION_SECRET: 's', RATE_LIMIT_PARTNER_POINTS: '0' });
    expect(config.http.port).toBe(8080);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.graphql.maxPageSize).toBe(50);
    expect(config.recommendations.secret).toBe('s');
    expect(config.rateLimit.points.partner).toBe(0);
  });

  it('keeps the admin listener on loopback, CORS off and persisted queries on by default', () => {
    const config = loadConfig(base);
    expect(config.admin).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(config.cors).toEqual({ origins: [], allowCredentials: false });
    expect(config.httpCaching).toEqual({ persistedQueries: true });
  });

  it('reads admin, CORS and HTTP caching settings', () => {
    const config = loadConfig({
      ...base,
      ADMIN_HOST: '0.0.0.0',
      ADMIN_PORT: '9100',
      CORS_ORIGINS: 'https://shop.example, https://m.shop.example',
      CORS_ALLOW_CREDENTIALS: 'yes',
      PERSISTED_QUERIES: 'false',
    });
    expect(config.admin).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(config.cors).toEqual({ origins: ['https://shop.example', 'https://m.shop.example'], allowCredentials: true });
    expect(config.httpCaching).toEqual({ persistedQueries: false });
    expect(configError({ CORS_ALLOW_CREDENTIALS: 'maybe' }).message).toContain('CORS_ALLOW_CREDENTIALS="maybe": expected true or false');
  });

  it('uses the local Neo4j on NEO4J_BOLT_PORT when NEO4J_URI is unset', () => {
    const config = loadConfig({ NEO4J_BOLT_PORT: '7999', NEO4J_PASSWORD: 'p' });
    expect(config.neo4j).toMatchObject({ uri: 'bolt://127.0.0.1:7999', password: 'p', local: true });
  });

  it('rejects a bad number, naming the variable, what it holds and what is expected', () => {
    expect(configError({ PORT: 'abc' }).message).toBe('Invalid configuration (1 problem):\n  PORT="abc": expected an integer ≥ 0');
    expect(configError({ SERVER_WORKERS: '0' }).message).toContain('SERVER_WORKERS="0": expected an integer ≥ 1');
    expect(configError({ GRAPHQL_MAX_DEPTH: '2.5' }).message).toContain('GRAPHQL_MAX_DEPTH="2.5": expected an integer ≥ 1');
  });

  it('reports several bad variables together', () => {
    const message = configError({ PORT: '-1', NEO4J_BOLT_PORT: 'x', SERVING_CACHE_POLL_MS: '5', LOG_LEVEL: 'debug' }).message;
    expect(message.split('\n')).toEqual([
      'Invalid configuration (3 problems):',
      '  PORT="-1": expected an integer ≥ 0',
      '  NEO4J_BOLT_PORT="x": expected an integer ≥ 1',
      '  SERVING_CACHE_POLL_MS="5": expected an integer ≥ 10',
    ]);
  });

  it('rejects a segment range whose maximum is below its minimum', () => {
    expect(configError({ SEGMENT_MIN_K: '6', SEGMENT_MAX_K: '4' }).message).toContain('SEGMENT_MAX_K="4": expected an integer ≥ SEGMENT_MIN_K');
  });
});

describe('loadConfig: the continuous trainer', () => {
  it('is off in serve by default and reads its trigger, lease and margin', () => {
    expect(loadConfig(base).trainer).toEqual({ minNewEvents: 10000, intervalMinutes: 0, pollSeconds: 60, leaseSeconds: 120, margin: 0.005, maxSeconds: 600, serve: false });
    const config = loadConfig({ ...base, SERVE_TRAINER: 'true', TRAINER_MIN_NEW_EVENTS: '500', TRAINER_INTERVAL_MINUTES: '60', TRAINER_MARGIN: '0.01' });
    expect(config.trainer).toMatchObject({ serve: true, minNewEvents: 500, intervalMinutes: 60, margin: 0.01 });
  });

  it('reports bad trainer variables together', () => {
    const message = configError({ SERVE_TRAINER: 'maybe', TRAINER_MARGIN: '-1', TRAINER_LEASE_SECONDS: '1' }).message;
    expect(message).toMatch(/SERVE_TRAINER="maybe": expected true or false/);
    expect(message).toMatch(/TRAINER_MARGIN="-1": expected a number ≥ 0/);
    expect(message).toMatch(/TRAINER_LEASE_SECONDS="1": expected an integer ≥ 5/);
  });
});

describe('loadConfig: the text encoder', () => {
  it('sizes the text embeddings and finds the model files by TEXT_ENCODER', () => {
    expect(loadConfig(base).embeddings.textDim).toBe(384);
    const zh = loadConfig({ ...base, TEXT_ENCODER: 'bge-small-zh-v1.5' });
    expect(zh.embeddings.textDim).toBe(512);
    expect(zh.models.textEncoder).toBe('bge-small-zh-v1.5');
    expect(zh.models.textModelDir).toMatch(/\.models\/bge-small-zh-v1\.5$/);
  });

  it('refuses a TEXT_EMBEDDING_DIM the encoder does not produce, and an unknown encoder', () => {
    expect(configError({ TEXT_ENCODER: 'bge-small-zh-v1.5', TEXT_EMBEDDING_DIM: '384' }).message).toMatch(/TEXT_EMBEDDING_DIM="384": expected the TEXT_ENCODER's width/);
    expect(configError({ TEXT_ENCODER: 'minilm' }).message).toMatch(/TEXT_ENCODER="minilm": expected one of all-minilm-l6-v2, bge-small-zh-v1.5/);
  });
});
