/**
 * HTTP wiring: GraphQL on /graphql (and /), /healthz and /readyz on one node:http server, with a
 * request size limit and graceful shutdown; /metrics and the readiness details on a second, admin
 * listener (ADMIN_HOST:ADMIN_PORT, loopback by default) that the public cannot reach. Apollo runs
 * through executeHTTPGraphQLRequest so no web framework sits in the hot path.
 */
import cluster from 'node:cluster';
import * as http from 'node:http';
import * as path from 'node:path';
import { ApolloServer, ApolloServerPlugin, HeaderMap } from '@apollo/server';
import cors from 'cors';
import { GraphQLError, GraphQLSchema } from 'graphql';
import type { Services } from './app';
import { keyFromHeaders } from './auth/api-key.service';
import { KeyRateLimiter } from './auth/rate-limit';
import type { Principal } from './auth/roles';
import { Context, createContext } from './context';
import { BOOKMARK_HEADER, currentRequestBookmarks, decodeBookmarks, RequestBookmarks } from './db/request-bookmarks';
import { Migrator } from './db/migrator';
import { DomainError, RateLimitedError, ServiceUnavailableError } from './errors';
import { isExplorerRoute, serveExplorer } from './exploration/static-files';
import { cacheControlPlugins } from './graphql/cache-policy';
import { createFormatError } from './graphql/format-error';
import { complexityLimit, depthLimit } from './graphql/limits';
import { createPartnerSchema, createSchema } from './graphql/schema';
import { partnerRefusals } from './graphql/partner-refusals';
import { introspectionGuard } from './graphql/introspection-guard';
import { callerOf, keyFromBasicAuth } from './auth/surface-access';
import { JournalFullError, JournalUnavailableError } from './journal/journal';
import { isUnavailable } from './db/database';
import { isDegraded } from './shared/degraded-answer';
import { withRequestScope } from './shared/request-scope';
import type { Logger } from './observability/logger';
import { textEncoderMatch, type TextEncoderMatch } from './domain/text-encoder-match';
import { graphqlLatency, graphqlRequests, registry } from './observability/metrics';

export interface RunningServer {
  url: string;
  port: number;
  /** The admin listener: /metrics, /readyz with details, /healthz. */
  adminUrl: string;
  close(): Promise<void>;
}

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

/** How often recommendations served to partners are added to Neo4j. */
const SERVED_FLUSH_MS = 5000;
/** How often PENDING conversions past their lock period are approved. */
const APPROVE_INTERVAL_MS = 60_000;

class BodyTooLargeError extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Answer first, then drop the connection: destroying the socket before the 413 is
        // written leaves the client with a bare "socket closed" instead of a reason.
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Readiness: Neo4j answers and no migration is pending. Migrations are re-checked until they pass once. */
function readinessCheck(services: Services) {
  let migrated = false;
  const migrator = new Migrator(services.db);
  return async (): Promise<{ ready: boolean; reason?: string; unavailable?: boolean }> => {
    try {
      await services.db.ping(1500);
      if (!migrated) {
        const status = await migrator.status(path.join(services.config.projectRoot, 'migrations'));
        if (status.pending.length > 0) return { ready: false, reason: `${status.pending.length} migrations pending: run "affinity migrate"` };
        migrated = true;
      }
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: error instanceof Error ? error.message : String(error), unavailable: isUnavailable(error) };
    }
  };
}

/** Listens, and says which variable to change when the port is taken. */
async function listen(server: http.Server, port: number, host: string, variable: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`${host}:${port} is already in use; set ${variable} to another port`, { cause: error }) : error),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

export async function startServer(
  services: Services,
  logger: Logger,
  options: { port?: number; host?: string; adminPort?: number; adminHost?: string } = {},
): Promise<RunningServer> {
  const { config } = services;
  const schema = await createSchema();
  const apollo = createApollo(schema, config, logger, [introspectionGuard(config.surfaces.introspection)]);
  // Partner keys get their own schema: partner operations and types only (src/graphql/partner-refusals.ts).
  const partnerApollo = createApollo(await createPartnerSchema(), config, logger, [partnerRefusals(), introspectionGuard(config.surfaces.introspection)]);
  await apollo.start();
  await partnerApollo.start();
  const ready = readinessCheck(services);
  const allowCors = corsFor(config.cors);
  const rateLimiter = new KeyRateLimiter(config.rateLimit);
  let inFlight = 0;

  const handleGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    let body: string;
    try {
      body = req.method === 'POST' ? await readBody(req, config.http.maxBodyBytes) : '';
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        sendJson(res, 413, { errors: [{ message: `Request body exceeds ${config.http.maxBodyBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
        res.on('finish', () => req.destroy());
        return;
      }
      throw error;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsed: unknown = undefined;
    if (body) {
      try {
        parsed = JSON.parse(body);
      } catch {
        sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let bookmarks: RequestBookmarks;
    try {
      bookmarks = new RequestBookmarks(decodeBookmarks(headers.get(BOOKMARK_HEADER)));
    } catch (error) {
      sendJson(res, 400, { errors: [{ message: (error as Error).message, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    // Authenticated once, before choosing the schema; a failure is reported by the main schema's context, as before.
    const principal = authenticate(services, rateLimiter, keyFromHeaders(headers));
    const target = (await principal.catch(() => null))?.role === 'partner' ? partnerApollo : apollo;
    const response = await withRequestScope({ bookmarks, degraded: false }, () =>
      target.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
        context: async () => createContext(services, await principal),
      }),
    );
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  /**
   * Readiness: the status code wherever it is asked (load balancers expect it on the public port);
   * why, and the serving cache's state, only on the admin listener.
   */
  const sendReadiness = async (res: http.ServerResponse, details: boolean): Promise<void> => {
    const result = await ready();
    // Degraded (Neo4j unavailable, the serving cache holds the catalogue): still 200, so load
    // balancers keep routing to replicas that answer what they hold (README "Durable events and degraded mode").
    const cache = services.servingCache.status();
    const degraded = !result.ready && result.unavailable === true && cache.products > 0 && cache.state !== 'off' && cache.state !== 'stopped';
    const status = result.ready ? 'ready' : degraded ? 'degraded' : 'unavailable';
    const active = details ? await services.activeModel.current().catch(() => null) : null;
    sendJson(
      res,
      result.ready || degraded ? 200 : 503,
      details
        ? {
            status,
            reason: result.reason,
            // Not part of readiness: requests the cache cannot answer go to Neo4j.
            servingCache: cache,
            // Journaled events the flusher has not reached (while Neo4j is down: acknowledged, not yet stored).
            eventJournalBacklog: services.interactions.backlog,
            // Journaled events dropped at flush since start (unknown product; affinity_event_journal_dropped_total).
            eventJournalDropped: services.interactions.droppedAtFlush,
            // Which of `serve --workers` answered (null when not clustered): each holds its own cache.
            worker: cluster.isWorker ? (cluster.worker?.id ?? null) : null,
            // Not part of readiness either: a model trained on another encoder serves, but places no new product.
            textEncoder: textEncoderMatch(config.models.textEncoder, active && { id: active.id, textDim: services.activeModel.textDim(active) }),
          }
        : { status },
    );
  };

  const admin = http.createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    const work = async (): Promise<void> => {
      if (route === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (route === '/readyz') return sendReadiness(res, true);
      if (route === '/metrics') {
        const text = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
        return;
      }
      sendJson(res, 404, { error: `No route ${route}; the admin listener serves /metrics, /readyz and /healthz` });
    };
    work().catch((error: unknown) => {
      logger.error({ err: error, route }, 'admin request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal error' });
      else res.end();
    });
  });

  /**
   * EXPLORE_ROLES: without `anonymous`, the page needs a key of an allowed role, sent as for /graphql
   * or as a browser's Basic login (the key as password), which a 401 asks the browser for.
   */
  const exploreCallers = new Set(config.surfaces.explore);
  const mayExplore = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    if (exploreCallers.has('anonymous')) return true;
    const headers = { get: (name: string) => [req.headers[name]].flat()[0] };
    const key = keyFromHeaders(headers) ?? keyFromBasicAuth(headers.get('authorization'));
    const principal = key ? await authenticate(services, rateLimiter, key).catch(() => null) : null;
    if (!principal) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Basic realm="affinity explore", charset="UTF-8"' });
      res.end('An API key is required for /explore (as password)\n');
      return false;
    }
    if (exploreCallers.has(callerOf(principal))) return true;
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`The ${principal.role} role may not load /explore\n`);
    return false;
  };

  const server = http.createServer((req, res) => {
    inFlight += 1;
    res.on('close', () => (inFlight -= 1));
    const route = (req.url ?? '/').split('?')[0];
    const work = async (): Promise<void> => {
      if (route === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (route === '/readyz') return sendReadiness(res, false);
      if (route === '/graphql' || route === '/') {
        if (allowCors && !(await allowCors(req, res))) return;
        return handleGraphQL(req, res);
      }
      if (route.startsWith('/r/') && (req.method === 'GET' || req.method === 'HEAD')) return redirectClick(services, route.slice(3), res, logger);
      if (isExplorerRoute(route) && (req.method === 'GET' || req.method === 'HEAD')) {
        if (!(await mayExplore(req, res))) return;
        return serveExplorer(route, res, config.projectRoot);
      }
      sendJson(res, 404, { error: `No route ${route}; GraphQL is served on /graphql` });
    };
    work().catch((error: unknown) => {
      logger.error({ err: error, route }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });
  server.keepAliveTimeout = 65000;

  // Clicks a dead process journaled reach Neo4j before this one answers any.
  const replayed = await services.clicks.start(throttledWarning(logger, 'journaled clicks not yet written to Neo4j (kept, retried)'));
  if (replayed > 0) logger.info({ replayed }, 'replayed journaled clicks');
  // Likewise events a dead process acknowledged from its journal.
  const replayedEvents = await services.interactions.start(
    (dropped) => logger.warn({ dropped, reason: 'unknown_product' }, 'journaled events dropped at flush: their product does not exist'),
    throttledWarning(logger, 'journaled events not yet written to Neo4j (kept, retried)'),
  );
  if (replayedEvents > 0) logger.info({ replayed: replayedEvents }, 'replayed journaled events');
  const adminHost = options.adminHost ?? config.admin.host;
  const adminPort = await listen(admin, options.adminPort ?? config.admin.port, adminHost, 'ADMIN_PORT');
  const host = options.host ?? config.http.host;
  let actualPort: number;
  try {
    actualPort = await listen(server, options.port ?? config.http.port, host, 'PORT');
  } catch (error) {
    admin.close();
    throw error;
  }
  services.servingCache.start((message) => logger.info(message));
  services.servedCounter.start(SERVED_FLUSH_MS, (err) => logger.warn({ err }, 'partner served counts not written; kept for the next flush'));
  // Conversions past their lock period become APPROVED; idempotent, so every replica may run it.
  const approvals = setInterval(() => {
    services.conversions.approveDue().catch((err: unknown) => logger.warn({ err }, 'approving conversions failed; retried next interval'));
  }, APPROVE_INTERVAL_MS);
  approvals.unref();
  services.experimentServing.start((message) => logger.info(message));
  const reportEncoderMismatch = (match: TextEncoderMatch): void => {
    const { modelVersion, modelTextDim, modelEncoder, configured, configuredDim } = match;
    logger.warn({ modelVersion, modelTextDim, modelEncoder, textEncoder: configured, textDim: configuredDim }, match.message ?? 'text encoder mismatch');
  };
  services.signals.on('textEncoderMismatch', reportEncoderMismatch);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      logger.info({ inFlight }, 'shutting down: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + config.http.shutdownGraceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      admin.closeAllConnections();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      await apollo.stop();
      await partnerApollo.stop();
      clearInterval(approvals);
      await services.servingCache.stop();
      await services.clicks.stop().catch((err: unknown) => logger.warn({ err }, 'journaled clicks left for the next start'));
      await services.interactions.stop().catch((err: unknown) => logger.warn({ err }, 'journaled events left for the next start'));
      await services.servedCounter.stop().catch((err: unknown) => logger.warn({ err }, 'partner served counts lost at shutdown'));
      await services.experimentServing.stop();
      services.signals.off('textEncoderMismatch', reportEncoderMismatch);
      logger.info('server stopped');
    })();
    return closing;
  };
  const adminUrl = `http://${adminHost === '0.0.0.0' || adminHost === '::' ? '127.0.0.1' : adminHost}:${adminPort}`;
  return { url: `http://127.0.0.1:${actualPort}/graphql`, port: actualPort, adminUrl, close };
}

/** A warning for a background failure that repeats every flush while Neo4j is away: at most one per 30 s, with the count. */
function throttledWarning(logger: Logger, msg: string): (error: unknown) => void {
  let last = 0;
  let failures = 0;
  return (err) => {
    failures += 1;
    if (Date.now() - last < 30_000) return;
    last = Date.now();
    logger.warn({ err, failures }, msg);
    failures = 0;
  };
}

/** Seconds a client is told to wait when a click cannot be recorded (Neo4j away, journal full, disk refusing writes). */
const CLICK_RETRY_AFTER_S = '5';

/**
 * A tracking link: 302 to the landing page once the click is durable; a plain 404 for any token we
 * did not issue intact and in time. A click that cannot be recorded gets no redirect (an untracked
 * one would lose the partner's commission): 503 with Retry-After.
 */
async function redirectClick(services: Services, token: string, res: http.ServerResponse, logger: Logger): Promise<void> {
  let location: string | null;
  try {
    location = await services.clicks.click(token);
  } catch (error) {
    if (!(error instanceof JournalUnavailableError) && !(error instanceof ServiceUnavailableError)) throw error;
    // The bound is Neo4j's outage, logged elsewhere; a disk that refuses writes is news to the operator.
    if (!(error instanceof JournalFullError) && error instanceof JournalUnavailableError) logger.warn({ err: error }, 'click not recorded: the journal cannot be written');
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': CLICK_RETRY_AFTER_S });
    res.end('Service unavailable: the click could not be recorded; retry shortly\n');
    return;
  }
  if (location === null) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
    return;
  }
  res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-length': '0' });
  res.end();
}

/** One Apollo server per schema (the main one and the partner one), with the same limits, errors and metrics. */
function createApollo(schema: GraphQLSchema, config: Services['config'], logger: Logger, extraPlugins: ApolloServerPlugin<Context>[] = []): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema,
    validationRules: [depthLimit(config.graphql.maxDepth)],
    formatError: createFormatError(logger),
    // Partners and browsers see error responses; server paths and stack frames go to the log only.
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Automatic persisted queries (Apollo's in-memory LRU): a client sends a query's hash, and the
    // text once when told PERSISTED_QUERY_NOT_FOUND; as GET, a CDN can cache catalogue reads.
    persistedQueries: config.httpCaching.persistedQueries ? {} : false,
    plugins: [
      // cache-control from the hints on catalogue types (src/graphql/cache-hints.ts); no-store otherwise.
      ...cacheControlPlugins(),
      complexityLimit(schema, config.graphql.maxComplexity),
      ...extraPlugins,
      {
        async requestDidStart() {
          const started = process.hrtime.bigint();
          return {
            async willSendResponse({ operationName, errors, response }) {
              // Read-your-writes across replicas: the client sends this back in x-affinity-bookmark.
              const bookmark = currentRequestBookmarks()?.token();
              if (bookmark && response.body.kind === 'single') {
                response.body.singleResult.extensions = { ...response.body.singleResult.extensions, bookmark };
              }
              // Answered without Neo4j (serving cache past its freshness, or events only journaled).
              if (isDegraded() && response.body.kind === 'single') {
                response.body.singleResult.extensions = { ...response.body.singleResult.extensions, degraded: true };
              }
              const operation = operationName ?? 'anonymous';
              graphqlLatency.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
              graphqlRequests.inc({ operation, outcome: errors && errors.length > 0 ? 'error' : 'ok' });
            },
          };
        },
      },
    ],
  });
}

/**
 * CORS for the configured browser origins (the `cors` package): the allowed origin echoed with
 * `Vary: Origin`, preflights answered 204 here, credentials only when configured. Without origins
 * no CORS header is sent and browsers keep other origins out. Resolves false when it answered.
 */
function corsFor(options: Services['config']['cors']): ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>) | undefined {
  if (options.origins.length === 0) return undefined;
  const middleware = cors({
    origin: options.origins.includes('*') ? '*' : options.origins,
    credentials: options.allowCredentials,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  });
  return (req, res) =>
    new Promise<boolean>((resolve, reject) => {
      middleware(req, res, (error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(true)));
      if (res.writableEnded) resolve(false);
    });
}

/** Resolves the request's principal and counts the request against its key's rate limit, once per request. */
async function authenticate(services: Services, rateLimiter: KeyRateLimiter, key: string | undefined): Promise<Principal | null> {
  if (!key) return null;
  try {
    const principal = await services.apiKeys.authenticate(key);
    await rateLimiter.consume(principal);
    return principal;
  } catch (error) {
    if (error instanceof DomainError) {
      const headers = new HeaderMap();
      if (error instanceof RateLimitedError) headers.set('retry-after', String(error.retryAfterSeconds));
      throw new GraphQLError(error.message, {
        extensions: { ...error.details, code: error.code, http: { status: HTTP_STATUS[error.code] ?? 400, headers } },
      });
    }
    throw error;
  }
}
