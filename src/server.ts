/**
 * HTTP wiring: GraphQL on /graphql (and /), /healthz, /readyz and /metrics on one node:http server,
 * with a request size limit and graceful shutdown. Apollo runs through executeHTTPGraphQLRequest so
 * no web framework sits in the hot path.
 */
import cluster from 'node:cluster';
import * as http from 'node:http';
import * as path from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { Services } from './app';
import { keyFromHeaders } from './auth/api-key.service';
import { KeyRateLimiter } from './auth/rate-limit';
import type { Principal } from './auth/roles';
import { Context, createContext } from './context';
import { BOOKMARK_HEADER, currentRequestBookmarks, decodeBookmarks, RequestBookmarks, withRequestBookmarks } from './db/request-bookmarks';
import { Migrator } from './db/migrator';
import { DomainError, RateLimitedError } from './errors';
import { isExplorerRoute, serveExplorer } from './exploration/static-files';
import { createFormatError } from './graphql/format-error';
import { complexityLimit, depthLimit } from './graphql/limits';
import { createSchema } from './graphql/schema';
import type { Logger } from './observability/logger';
import { graphqlLatency, graphqlRequests, registry } from './observability/metrics';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

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
  return async (): Promise<{ ready: boolean; reason?: string }> => {
    try {
      await services.db.ping(1500);
      if (!migrated) {
        const status = await migrator.status(path.join(services.config.projectRoot, 'migrations'));
        if (status.pending.length > 0) return { ready: false, reason: `${status.pending.length} migrations pending: run "affinity migrate"` };
        migrated = true;
      }
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: error instanceof Error ? error.message : String(error) };
    }
  };
}

export async function startServer(services: Services, logger: Logger, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { config } = services;
  const schema = await createSchema();
  const apollo = new ApolloServer<Context>({
    schema,
    validationRules: [depthLimit(config.graphql.maxDepth)],
    formatError: createFormatError(logger),
    // Partners and browsers see error responses; server paths and stack frames go to the log only.
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: [
      // We set no cache hints; the default cache-control plugin still wraps every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      complexityLimit(schema, config.graphql.maxComplexity),
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
              const operation = operationName ?? 'anonymous';
              graphqlLatency.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
              graphqlRequests.inc({ operation, outcome: errors && errors.length > 0 ? 'error' : 'ok' });
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const ready = readinessCheck(services);
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
    const response = await withRequestBookmarks(bookmarks, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
        context: async () => createContext(services, await authenticate(services, rateLimiter, keyFromHeaders(headers))),
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

  const server = http.createServer((req, res) => {
    inFlight += 1;
    res.on('close', () => (inFlight -= 1));
    const route = (req.url ?? '/').split('?')[0];
    const work = async (): Promise<void> => {
      if (route === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (route === '/readyz') {
        const result = await ready();
        return sendJson(res, result.ready ? 200 : 503, {
          status: result.ready ? 'ready' : 'unavailable',
          reason: result.reason,
          // Not part of readiness: requests the cache cannot answer go to Neo4j.
          servingCache: services.servingCache.status(),
          // Which of `serve --workers` answered (null when not clustered): each holds its own cache.
          worker: cluster.isWorker ? (cluster.worker?.id ?? null) : null,
        });
      }
      if (route === '/metrics') {
        const text = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
        return;
      }
      if (route === '/graphql' || route === '/') return handleGraphQL(req, res);
      if (isExplorerRoute(route) && (req.method === 'GET' || req.method === 'HEAD')) return serveExplorer(route, res, config.projectRoot);
      sendJson(res, 404, { error: `No route ${route}; GraphQL is served on /graphql` });
    };
    work().catch((error: unknown) => {
      logger.error({ err: error, route }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });
  server.keepAliveTimeout = 65000;

  const port = options.port ?? config.http.port;
  const host = options.host ?? config.http.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  services.servingCache.start((message) => logger.info(message));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;

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
      await apollo.stop();
      await services.servingCache.stop();
      logger.info('server stopped');
    })();
    return closing;
  };
  return { url: `http://127.0.0.1:${actualPort}/graphql`, port: actualPort, close };
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
