/** Prometheus metrics, one registry per process, exposed on /metrics. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
