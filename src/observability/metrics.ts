/** Prometheus metrics, one registry per process, exposed on /metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const graphqlRequests = new Counter({
  name: 'affinity_graphql_requests_total',
  help: 'GraphQL requests by operation name and outcome',
  labelNames: ['operation', 'outcome'] as const,
  registers: [registry],
});

export const graphqlLatency = new Histogram({
  name: 'affinity_graphql_request_seconds',
  help: 'GraphQL request latency by operation name',
  labelNames: ['operation'] as const,
  buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const neo4jLatency = new Histogram({
  name: 'affinity_neo4j_query_seconds',
  help: 'Neo4j query latency by query name',
  labelNames: ['query'] as const,
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
});

export const ingestedEvents = new Counter({
  name: 'affinity_ingested_events_total',
  help: 'Interaction events by ingestion status',
  labelNames: ['status'] as const,
  registers: [registry],
});

/**
 * Events acknowledged from the journal alone (Neo4j down) that the flusher could not store: their
 * product did not exist when it wrote them. After a crash, a replayed event its request was refused
 * for the same reason counts too (the process that knew is gone).
 */
export const journalDroppedEvents = new Counter({
  name: 'affinity_event_journal_dropped_total',
  help: 'Journaled interaction events dropped at flush, by reason (unknown_product)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const copyGuardrailFailures = new Counter({
  name: 'affinity_copy_guardrail_failures_total',
  help: 'Generated copy and assistant answers failing a guardrail, by check and by what wrote the text',
  labelNames: ['check', 'source'] as const,
  registers: [registry],
});

export const copyVariants = new Counter({
  name: 'affinity_copy_variants_total',
  help: 'Copy variants served, by source (MODEL or TEMPLATE) and the reason a template was used',
  labelNames: ['source', 'reason'] as const,
  registers: [registry],
});

export const copyGenerationLatency = new Histogram({
  name: 'affinity_copy_generation_seconds',
  help: 'Language model generation latency per sample',
  labelNames: ['kind'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});

/** The continuous trainer's last successful cycle (published or kept), wherever it ran: read from Neo4j on scrape. */
export interface TrainerStatus {
  endedAt: string;
  seconds: number;
}

let trainerStatusSource: (() => Promise<TrainerStatus | undefined>) | undefined;

export function setTrainerStatusSource(source: () => Promise<TrainerStatus | undefined>): void {
  trainerStatusSource = source;
}

async function trainerStatus(): Promise<TrainerStatus | undefined> {
  try {
    return await trainerStatusSource?.();
  } catch {
    return undefined; // Neo4j down: /metrics still answers, without these two.
  }
}

export const trainerLastSuccess = new Gauge({
  name: 'affinity_trainer_last_success_timestamp_seconds',
  help: 'End of the continuous trainer\'s last successful cycle (published or kept the active version), Unix seconds',
  registers: [registry],
  async collect() {
    const status = await trainerStatus();
    if (status) this.set(Date.parse(status.endedAt) / 1000);
  },
});

export const trainerLastDuration = new Gauge({
  name: 'affinity_trainer_last_success_duration_seconds',
  help: 'Wall-clock duration of the continuous trainer\'s last successful cycle',
  registers: [registry],
  async collect() {
    const status = await trainerStatus();
    if (status) this.set(status.seconds);
  },
});

export interface ServingCacheCounts {
  hits: number;
  misses: number;
  evictions: number;
  bytes: number;
  users: number;
}

let servingCacheSource: (() => ServingCacheCounts) | undefined;

/**
 * The serving cache keeps plain counters (a prom-client inc per request would add work to the hot
 * path); these metrics read them when /metrics is scraped.
 */
export function setServingCacheSource(source: () => ServingCacheCounts): void {
  servingCacheSource = source;
}

/** A counter that follows one of the serving cache's running totals. */
function servingCacheCounter(name: string, help: string, field: 'hits' | 'misses' | 'evictions'): Counter {
  let reported = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const total = servingCacheSource?.()[field] ?? reported;
      if (total > reported) this.inc(total - reported);
      reported = total;
    },
  });
}

export const servingCacheHits = servingCacheCounter('affinity_serving_cache_hits_total', 'Recommendation requests whose user the serving cache held', 'hits');
export const servingCacheMisses = servingCacheCounter(
  'affinity_serving_cache_misses_total',
  'Recommendation requests whose user the serving cache did not hold (Neo4j answered)',
  'misses',
);
export const servingCacheEvictions = servingCacheCounter('affinity_serving_cache_evictions_total', 'Users the serving cache dropped to stay within its memory budget', 'evictions');

export const servingCacheBytes = new Gauge({
  name: 'affinity_serving_cache_bytes',
  help: 'Estimated bytes of the users the serving cache holds, against SERVING_CACHE_MB',
  registers: [registry],
  collect() {
    const counts = servingCacheSource?.();
    if (counts) this.set(counts.bytes);
  },
});

export const servingCacheUsers = new Gauge({
  name: 'affinity_serving_cache_users',
  help: 'Users whose lists or latest events the serving cache holds',
  registers: [registry],
  collect() {
    const counts = servingCacheSource?.();
    if (counts) this.set(counts.users);
  },
});
