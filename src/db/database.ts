/**
 * Access to Neo4j: one driver per process, named queries with parameters only, latency metrics,
 * and translation of connectivity failures into ServiceUnavailableError so requests fail fast.
 * Every read runs in executeRead and every write in executeWrite, so with a `neo4j://` URI the
 * driver routes reads to secondaries and writes to the leader (docs/scaling.md). Sessions chain on
 * one bookmark manager per process (each transaction sees this process's earlier writes, on any
 * cluster member) plus the bookmarks the client sent with the request (request-bookmarks.ts).
 * A circuit breaker (opossum) makes "fail fast" literal: once a transaction failed because Neo4j is
 * unreachable (after the driver's own retries), the next ones fail at once instead of each retrying
 * for NEO4J_MAX_RETRY_MS, and every NEO4J_BREAKER_RESET_MS one is let through to probe.
 */
import CircuitBreaker from 'opossum';
import neo4j, { BookmarkManager, Driver, ManagedTransaction, QueryResult, RecordShape, Neo4jError, Session } from 'neo4j-driver';
import type { Config } from '../config';
import { BadInputError, QueryLimitError, ServiceUnavailableError } from '../errors';
import { currentRequestBookmarks } from './request-bookmarks';
import { compactCypher } from './compact-cypher';
import { neo4jLatency } from '../observability/metrics';

export type Params = Record<string, unknown>;

/** A named Cypher statement; the name labels metrics and logs. */
export interface Query {
  name: string;
  cypher: string;
}

export interface Tx {
  run<R extends RecordShape = RecordShape>(query: Query, params?: Params): Promise<QueryResult<R>>;
}

const UNAVAILABLE_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
  'Neo.ClientError.Security.AuthenticationRateLimit',
]);

export function isUnavailable(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  if (error instanceof Neo4jError) return UNAVAILABLE_CODES.has(error.code) || /acquisition|connect/i.test(error.message);
  return false;
}

/** Neo4j's answers when a transaction ran past its timeout or its memory budget. */
const LIMIT_CODES = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
  'Neo.TransientError.General.MemoryPoolOutOfMemoryError',
  'Neo.TransientError.General.TransactionMemoryLimit',
]);

export function isLimitExceeded(error: unknown): boolean {
  return error instanceof Neo4jError && LIMIT_CODES.has(error.code);
}

export class Database {
  private readonly driver: Driver;
  /** Bolt round trips issued by this process; tests bound the count per request. */
  roundTrips = 0;
  /** When set, every query run is recorded by name, so benchmarks can PROFILE what a request ran. */
  captured: Map<string, { query: Query; params: Params }> | null = null;

  /** Every write of this process, so its later reads (requests, caches, pipeline steps) see it. */
  private readonly bookmarks: BookmarkManager = neo4j.bookmarkManager();

  /** Opens on one unavailability error: the driver has already retried it for maxRetryMs. */
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(private readonly config: Config['neo4j']) {
    this.driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password), {
      connectionTimeout: config.connectionTimeoutMs,
      connectionAcquisitionTimeout: config.acquisitionTimeoutMs,
      maxTransactionRetryTime: config.maxRetryMs,
      maxConnectionPoolSize: 100,
      disableLosslessIntegers: true,
    });
    this.breaker = new CircuitBreaker((attempt: () => Promise<unknown>) => attempt(), {
      enabled: config.breakerResetMs > 0,
      timeout: false,
      resetTimeout: config.breakerResetMs,
      errorThresholdPercentage: 0,
      volumeThreshold: 0,
      // Query errors (bad input, limits, constraint violations) say nothing about Neo4j's health.
      errorFilter: (error: unknown) => !isUnavailable(error),
    });
  }

  /** True while transactions fail at once because Neo4j was found unreachable. */
  get circuitOpen(): boolean {
    return this.breaker.opened;
  }

  async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.execute('READ', work);
  }

  /**
   * A READ transaction that Neo4j itself terminates after `timeoutMs` (exploratory queries whose cost
   * depends on the data); a timeout or memory refusal becomes a QueryLimitError.
   */
  async readLimited<T>(work: (tx: Tx) => Promise<T>, options: { timeoutMs: number }): Promise<T> {
    try {
      return await this.execute('READ', work, { timeout: options.timeoutMs });
    } catch (error) {
      if (isLimitExceeded(error)) {
        throw new QueryLimitError(`The query exceeded its limit of ${options.timeoutMs} ms (or its memory budget); narrow it (smaller depth, limit or hops).`, {
          timeoutMs: options.timeoutMs,
        });
      }
      throw error;
    }
  }

  async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.execute('WRITE', work);
  }

  /** One read statement in its own READ transaction. */
  async readOne<R extends RecordShape = RecordShape>(query: Query, params: Params = {}): Promise<R[]> {
    return this.read(async (tx) => (await tx.run<R>(query, params)).records.map((r) => r.toObject()));
  }

  async writeOne<R extends RecordShape = RecordShape>(query: Query, params: Params = {}): Promise<R[]> {
    return this.write(async (tx) => (await tx.run<R>(query, params)).records.map((r) => r.toObject()));
  }

  /** Writes that cannot run in a managed transaction (schema changes, CALL IN TRANSACTIONS); routed to the leader. */
  async autoCommit<R extends RecordShape = RecordShape>(query: Query, params: Params = {}): Promise<R[]> {
    const session = this.session('WRITE');
    try {
      const result = await this.timed(query, () => session.run<R>(compactCypher(query.cypher), params), params);
      this.noteWrite(session);
      return result.records.map((r) => r.toObject());
    } catch (error) {
      throw this.translate(error);
    } finally {
      await session.close();
    }
  }

  /**
   * Records one at a time as Neo4j sends them (back-pressured), for snapshots of the whole graph.
   * The one read outside executeRead: a managed transaction would replay the stream from its start
   * after the consumer used part of it. A READ session still routes it to a secondary.
   */
  async *stream<R extends RecordShape = RecordShape>(query: Query, params: Params = {}): AsyncGenerator<R> {
    const session = this.session('READ', { fetchSize: 5000 });
    this.roundTrips += 1;
    try {
      for await (const record of session.run<R>(query.cypher, params)) yield record.toObject();
    } catch (error) {
      throw this.translate(error);
    } finally {
      await session.close();
    }
  }

  async ping(timeoutMs = 2000): Promise<void> {
    await withTimeout(this.readOne({ name: 'ping', cypher: 'RETURN 1 AS ok' }), timeoutMs);
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.driver.close();
  }

  private session(mode: 'READ' | 'WRITE', extra: { fetchSize?: number } = {}): Session {
    return this.driver.session({
      database: this.config.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      bookmarkManager: this.bookmarks,
      bookmarks: currentRequestBookmarks()?.current,
      ...extra,
    });
  }

  /** A committed write's bookmark goes back to the client of the request that made it. */
  private noteWrite(session: Session): void {
    currentRequestBookmarks()?.noteWrite(session.lastBookmarks());
  }

  private async execute<T>(mode: 'READ' | 'WRITE', work: (tx: Tx) => Promise<T>, txConfig?: { timeout: number }): Promise<T> {
    try {
      return (await this.breaker.fire(() => this.executeOnce(mode, work, txConfig))) as T;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') throw new ServiceUnavailableError();
      throw error;
    }
  }

  private async executeOnce<T>(mode: 'READ' | 'WRITE', work: (tx: Tx) => Promise<T>, txConfig?: { timeout: number }): Promise<T> {
    const session = this.session(mode);
    try {
      const run = (mtx: ManagedTransaction): Promise<T> =>
        work({ run: (query, params) => this.timed(query, () => mtx.run(compactCypher(query.cypher), params ?? {}), params) });
      if (mode === 'READ') return await session.executeRead(run, txConfig);
      const result = await session.executeWrite(run, txConfig);
      this.noteWrite(session);
      return result;
    } catch (error) {
      throw this.translate(error);
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  /** Runs a query under PROFILE and returns the total database hits of its plan. */
  async profileDbHits(query: Query, params: Params = {}): Promise<number> {
    const session = this.session('READ');
    try {
      const result = await session.run(`PROFILE ${query.cypher}`, params);
      const sum = (plan: { dbHits: number; children: unknown[] } | false): number =>
        plan ? plan.dbHits + plan.children.reduce((s: number, c) => s + sum(c as { dbHits: number; children: unknown[] }), 0) : 0;
      return sum(result.summary.profile as { dbHits: number; children: unknown[] } | false);
    } finally {
      await session.close();
    }
  }

  private async timed<R extends RecordShape>(query: Query, run: () => Promise<QueryResult<R>>, params: Params = {}): Promise<QueryResult<R>> {
    this.roundTrips += 1;
    this.captured?.set(query.name, { query, params });
    const end = neo4jLatency.startTimer({ query: query.name });
    try {
      return await run();
    } finally {
      end();
    }
  }

  private translate(error: unknown): unknown {
    if (error instanceof Neo4jError && /InvalidBookmark/.test(error.code)) {
      return new BadInputError('The bookmark sent in x-affinity-bookmark is not one this database issued.');
    }
    return isUnavailable(error) ? new ServiceUnavailableError() : error;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceUnavailableError(`Neo4j did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
