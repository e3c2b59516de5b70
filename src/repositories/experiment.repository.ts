/**
 * Cypher for experiments: (:Experiment) with its (:ExperimentVariant) nodes (weights, strategy,
 * stop state and the guardrail counters every replica adds to), (:ExperimentDecision) records of
 * stopping and concluding with their reason, and (:User)-[:EXPOSED_TO {variant, firstAt, count}]->
 * (:Experiment) for the members a variant served. Relies on the experiment_id and
 * experiment_variant_key constraints (V007).
 */
import type { Database } from '../db/database';

export interface ExperimentVariantRow {
  name: string;
  position: number;
  weight: number;
  /** JSON of the ExperimentStrategy. */
  strategy: string;
  stopped: boolean;
  stopReason: string | null;
  requests: number;
  errors: number;
  latency: number[];
}

export interface ExperimentRow {
  id: string;
  name: string;
  status: 'RUNNING' | 'STOPPED' | 'CONCLUDED';
  statusReason: string | null;
  /** Epoch ms. */
  start: number;
  end: number;
  segmentIds: string[] | null;
  createdAt: string;
  variants: ExperimentVariantRow[];
}

export interface ExperimentDecisionRow {
  kind: 'STOP_VARIANT' | 'STOP' | 'CONCLUDE';
  variant: string | null;
  reason: string;
  at: string;
}

export interface ExposureWrite {
  experimentId: string;
  userId: string;
  variant: string;
  first: number;
  last: number;
  count: number;
}

export interface ArmWrite {
  key: string;
  requests: number;
  errors: number;
  latency: number[];
}

/** A member's outcome over the window, as the report's statistics need it. */
export interface ExperimentMemberRow {
  variant: string;
  exposures: number;
  clicks: number;
  purchases: number;
  revenue: number;
  pre: number;
  /** recommendationIds the member's clicks and purchases cited: [type, token]. */
  cited: [string, string][];
  /** Epoch ms of the first exposure, and of the first purchase after it (null: none yet). */
  firstAt: number;
  firstPurchaseAt: number | null;
}

export function variantKey(experimentId: string, variant: string): string {
  return `${experimentId}/${variant}`;
}

const FIELDS = `e.id AS id, e.name AS name, e.status AS status, e.statusReason AS statusReason,
                e.start.epochMillis AS start, e.end.epochMillis AS end, e.segmentIds AS segmentIds,
                toString(e.createdAt) AS createdAt, variants`;
const VARIANTS = `CALL (e) {
             MATCH (v:ExperimentVariant)-[:VARIANT_OF]->(e)
             WITH v ORDER BY v.position
             RETURN collect(v {.name, .position, .weight, .strategy, .stopped, .stopReason, .requests, .errors, .latency}) AS variants
           }`;

const CREATE = {
  name: 'experiment.create',
  cypher: `CREATE (e:Experiment {id: $id, name: $name, status: 'RUNNING', start: datetime({epochMillis: toInteger($start)}),
                                 end: datetime({epochMillis: toInteger($end)}), segmentIds: $segmentIds, createdAt: datetime()})
           WITH e
           UNWIND $variants AS v
           CREATE (:ExperimentVariant {key: $id + '/' + v.name, experimentId: $id, name: v.name, position: v.position,
                                       weight: v.weight, strategy: v.strategy, stopped: false, requests: 0, errors: 0,
                                       latency: []})-[:VARIANT_OF]->(e)`,
};

const BY_ID = {
  name: 'experiment.byId',
  cypher: `MATCH (e:Experiment {id: $id})
           ${VARIANTS}
           RETURN ${FIELDS}`,
};

const ALL = {
  name: 'experiment.all',
  cypher: `MATCH (e:Experiment)
           ${VARIANTS}
           RETURN ${FIELDS} ORDER BY e.createdAt DESC`,
};

/** Running and not yet over (servers keep these in memory; a few at a time). */
const RUNNING = {
  name: 'experiment.running',
  cypher: `MATCH (e:Experiment {status: 'RUNNING'}) WHERE e.end > datetime()
           ${VARIANTS}
           RETURN ${FIELDS} ORDER BY e.createdAt`,
};

const AUDIENCE = {
  name: 'experiment.audience',
  cypher: `MATCH (u:User)-[:IN_SEGMENT]->(s:Segment) WHERE s.id IN $segmentIds RETURN collect(DISTINCT u.id) AS ids`,
};

const EXISTING_SEGMENTS = {
  name: 'experiment.existingSegments',
  cypher: `MATCH (s:Segment) WHERE s.id IN $segmentIds RETURN collect(s.id) AS ids`,
};

const STOP_VARIANT = {
  name: 'experiment.stopVariant',
  cypher: `MATCH (v:ExperimentVariant {key: $key}) WHERE NOT v.stopped
           SET v.stopped = true, v.stopReason = $reason, v.stoppedAt = datetime()
           WITH v
           MATCH (e:Experiment {id: v.experimentId})
           CREATE (:ExperimentDecision {kind: 'STOP_VARIANT', variant: v.name, reason: $reason, at: datetime()})-[:DECIDED_FOR]->(e)
           RETURN count(v) AS stopped`,
};

const END = {
  name: 'experiment.end',
  cypher: `MATCH (e:Experiment {id: $id}) WHERE e.status = 'RUNNING'
           SET e.status = $status, e.statusReason = $reason, e.endedAt = datetime()
           CREATE (:ExperimentDecision {kind: $kind, variant: null, reason: $reason, at: datetime()})-[:DECIDED_FOR]->(e)
           RETURN count(e) AS ended`,
};

const DECISIONS = {
  name: 'experiment.decisions',
  cypher: `MATCH (d:ExperimentDecision)-[:DECIDED_FOR]->(:Experiment {id: $id})
           RETURN d.kind AS kind, d.variant AS variant, d.reason AS reason, toString(d.at) AS at ORDER BY d.at`,
};

/** Users the experiment never saw (e.g. asked for a user id not in the graph) are not recorded. */
const RECORD_EXPOSURES = {
  name: 'experiment.recordExposures',
  cypher: `UNWIND $rows AS r
           MATCH (e:Experiment {id: r.experimentId})
           MATCH (u:User {id: r.userId})
           MERGE (u)-[x:EXPOSED_TO]->(e)
             ON CREATE SET x.variant = r.variant, x.firstAt = datetime({epochMillis: toInteger(r.first)}), x.count = 0
           SET x.count = x.count + r.count, x.lastAt = datetime({epochMillis: toInteger(r.last)})`,
};

/** Adds counts element-wise under the variant node's write lock, so replicas' flushes never lose one another's. */
const RECORD_ARMS = {
  name: 'experiment.recordArms',
  cypher: `UNWIND $rows AS r
           MATCH (v:ExperimentVariant {key: r.key})
           SET v.requests = v.requests + r.requests, v.errors = v.errors + r.errors,
               v.latency = [i IN range(0, size(r.latency) - 1) | coalesce(v.latency[i], 0) + r.latency[i]]`,
};

/**
 * Each exposed member's outcome from their first exposure until $until, and their activity in the
 * pre-period [$preFrom, $start) (CUPED's covariate).
 */
const MEMBERS = {
  name: 'experiment.members',
  cypher: `MATCH (u:User)-[x:EXPOSED_TO]->(:Experiment {id: $id})
           CALL (u, x) {
             OPTIONAL MATCH (u)-[i:INTERACTED]->(p:Product)
               WHERE i.at >= x.firstAt AND i.at < datetime({epochMillis: toInteger($until)}) AND i.type IN ['CLICK', 'PURCHASE']
             RETURN sum(CASE i.type WHEN 'CLICK' THEN 1 ELSE 0 END) AS clicks,
                    sum(CASE i.type WHEN 'PURCHASE' THEN 1 ELSE 0 END) AS purchases,
                    sum(CASE i.type WHEN 'PURCHASE' THEN coalesce(p.price, 0.0) ELSE 0.0 END) AS revenue,
                    collect(CASE WHEN i.recommendationId IS NOT NULL THEN [i.type, i.recommendationId] END) AS cited,
                    min(CASE i.type WHEN 'PURCHASE' THEN i.at.epochMillis END) AS firstPurchaseAt
           }
           CALL (u) {
             OPTIONAL MATCH (u)-[j:INTERACTED]->()
               WHERE j.at >= datetime({epochMillis: toInteger($preFrom)}) AND j.at < datetime({epochMillis: toInteger($start)})
             RETURN count(j) AS pre
           }
           RETURN x.variant AS variant, x.count AS exposures, clicks, purchases, revenue, pre, cited,
                  x.firstAt.epochMillis AS firstAt, firstPurchaseAt`,
};

export class ExperimentRepository {
  constructor(private readonly db: Database) {}

  async create(experiment: {
    id: string;
    name: string;
    start: number;
    end: number;
    segmentIds: string[] | null;
    variants: { name: string; position: number; weight: number; strategy: string }[];
  }): Promise<void> {
    await this.db.writeOne(CREATE, experiment);
  }

  async byId(id: string): Promise<ExperimentRow | undefined> {
    return (await this.db.readOne<ExperimentRow>(BY_ID, { id }))[0];
  }

  async all(): Promise<ExperimentRow[]> {
    return this.db.readOne<ExperimentRow>(ALL);
  }

  async running(): Promise<ExperimentRow[]> {
    return this.db.readOne<ExperimentRow>(RUNNING);
  }

  async audience(segmentIds: string[]): Promise<string[]> {
    return (await this.db.readOne<{ ids: string[] }>(AUDIENCE, { segmentIds }))[0]?.ids ?? [];
  }

  async existingSegments(segmentIds: string[]): Promise<string[]> {
    return (await this.db.readOne<{ ids: string[] }>(EXISTING_SEGMENTS, { segmentIds }))[0]?.ids ?? [];
  }

  /** True when this call stopped it (false: already stopped or unknown). */
  async stopVariant(experimentId: string, variant: string, reason: string): Promise<boolean> {
    const rows = await this.db.writeOne<{ stopped: number }>(STOP_VARIANT, { key: variantKey(experimentId, variant), reason });
    return (rows[0]?.stopped ?? 0) > 0;
  }

  /** Stops (no winner) or concludes a running experiment; false when it was not running. */
  async end(id: string, kind: 'STOP' | 'CONCLUDE', reason: string): Promise<boolean> {
    const rows = await this.db.writeOne<{ ended: number }>(END, { id, kind, reason, status: kind === 'STOP' ? 'STOPPED' : 'CONCLUDED' });
    return (rows[0]?.ended ?? 0) > 0;
  }

  async decisions(id: string): Promise<ExperimentDecisionRow[]> {
    return this.db.readOne<ExperimentDecisionRow>(DECISIONS, { id });
  }

  async recordExposures(rows: ExposureWrite[]): Promise<void> {
    if (rows.length > 0) await this.db.writeOne(RECORD_EXPOSURES, { rows });
  }

  async recordArms(rows: ArmWrite[]): Promise<void> {
    if (rows.length > 0) await this.db.writeOne(RECORD_ARMS, { rows });
  }

  async members(id: string, window: { start: number; until: number; preFrom: number }): Promise<ExperimentMemberRow[]> {
    return this.db.readOne<ExperimentMemberRow>(MEMBERS, { id, ...window });
  }
}
