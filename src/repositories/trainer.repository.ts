/**
 * The continuous trainer's state in Neo4j: its lease (one trainer per scope, taken over once the
 * holder's lease expired), the event count that triggers a cycle, and the cycles it records on
 * the candidate model versions (V006's constraints).
 */
import type { Database } from '../db/database';

export interface TrainerCycleRecord {
  id: string;
  owner: string;
  scope: string;
  startedAt: number;
  endedAt: number;
  /** Events in the snapshot the cycle trained on, and how many arrived since the active version's. */
  events: number;
  newEvents: number;
  trigger: string;
  /** published | kept | failed */
  decision: string;
  reason: string;
  candidateNdcg20: number | null;
  activeNdcg20: number | null;
  candidateRecall20: number | null;
  activeRecall20: number | null;
  windowUsers: number | null;
  candidateVersion: string | null;
  activeVersion: string | null;
}

export interface TrainerCycleRow extends Omit<TrainerCycleRecord, 'startedAt' | 'endedAt'> {
  startedAt: string;
  endedAt: string;
  seconds: number;
}

/**
 * The SET before the WHERE takes the node's write lock, so a concurrent acquirer waits and then
 * reads the committed owner: two trainers cannot both pass the check.
 */
const ACQUIRE = {
  name: 'trainer.acquire',
  cypher: `MERGE (l:TrainerLock {id: $scope})
           SET l.touchedAt = datetime()
           WITH l
           WHERE l.owner IS NULL OR l.owner = $owner OR l.expiresAt < datetime()
           SET l.previousOwner = CASE WHEN l.owner <> $owner THEN l.owner ELSE l.previousOwner END,
               l.owner = $owner, l.expiresAt = datetime() + duration({milliseconds: toInteger($leaseMs)})
           RETURN l.owner AS owner`,
};

const RELEASE = {
  name: 'trainer.release',
  cypher: `MATCH (l:TrainerLock {id: $scope, owner: $owner}) SET l.owner = null, l.expiresAt = null`,
};

/** The count store answers for the whole graph; a scoped count (tests, a prefix shop) reads the users' events. */
const EVENT_COUNT = { name: 'trainer.eventCount', cypher: 'MATCH ()-[r:INTERACTED]->() RETURN count(r) AS events' };
const SCOPED_EVENT_COUNT = {
  name: 'trainer.scopedEventCount',
  cypher: `MATCH (u:User)-[r:INTERACTED]->(p:Product) WHERE u.id STARTS WITH $prefix AND p.id STARTS WITH $prefix RETURN count(r) AS events`,
};

const RECORD_CYCLE = {
  name: 'trainer.recordCycle',
  cypher: `CREATE (c:TrainerCycle {id: $id, owner: $owner, scope: $scope,
                                   startedAt: datetime({epochMillis: toInteger($startedAt)}), endedAt: datetime({epochMillis: toInteger($endedAt)}),
                                   events: $events, newEvents: $newEvents, trigger: $trigger, decision: $decision, reason: $reason,
                                   candidateNdcg20: $candidateNdcg20, activeNdcg20: $activeNdcg20,
                                   candidateRecall20: $candidateRecall20, activeRecall20: $activeRecall20, windowUsers: $windowUsers,
                                   candidateVersion: $candidateVersion, activeVersion: $activeVersion})
           WITH c
           OPTIONAL MATCH (m:ModelVersion {id: $candidateVersion})
           FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | CREATE (c)-[:CANDIDATE]->(m))`,
};

const CYCLE_FIELDS = `c.id AS id, c.owner AS owner, c.scope AS scope, toString(c.startedAt) AS startedAt, toString(c.endedAt) AS endedAt,
                      (c.endedAt.epochMillis - c.startedAt.epochMillis) / 1000.0 AS seconds,
                      c.events AS events, c.newEvents AS newEvents, c.trigger AS trigger, c.decision AS decision, c.reason AS reason,
                      c.candidateNdcg20 AS candidateNdcg20, c.activeNdcg20 AS activeNdcg20, c.candidateRecall20 AS candidateRecall20,
                      c.activeRecall20 AS activeRecall20, c.windowUsers AS windowUsers, c.candidateVersion AS candidateVersion,
                      c.activeVersion AS activeVersion`;

const LAST_CYCLE = {
  name: 'trainer.lastCycle',
  cypher: `MATCH (c:TrainerCycle {scope: $scope}) WHERE $decisions IS NULL OR c.decision IN $decisions
           RETURN ${CYCLE_FIELDS} ORDER BY c.startedAt DESC LIMIT 1`,
};

const CYCLES_OF = {
  name: 'trainer.cyclesOf',
  cypher: `MATCH (c:TrainerCycle)-[:CANDIDATE]->(m:ModelVersion) WHERE m.id IN $versionIds
           RETURN m.id AS versionId, ${CYCLE_FIELDS} ORDER BY c.startedAt`,
};

export class TrainerRepository {
  constructor(private readonly db: Database) {}

  /** True when `owner` now holds the lease (new, renewed, or taken over from an expired holder). */
  async acquire(scope: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await this.db.writeOne<{ owner: string }>(ACQUIRE, { scope, owner, leaseMs });
    return rows[0]?.owner === owner;
  }

  async release(scope: string, owner: string): Promise<void> {
    await this.db.writeOne(RELEASE, { scope, owner });
  }

  async eventCount(prefix: string | null): Promise<number> {
    const rows = prefix === null ? await this.db.readOne<{ events: number }>(EVENT_COUNT) : await this.db.readOne<{ events: number }>(SCOPED_EVENT_COUNT, { prefix });
    return Number(rows[0]?.events ?? 0);
  }

  async recordCycle(cycle: TrainerCycleRecord): Promise<void> {
    await this.db.writeOne(RECORD_CYCLE, { ...cycle });
  }

  /** The latest cycle of the scope, or the latest with one of these decisions. */
  async lastCycle(scope: string, decisions: string[] | null = null): Promise<TrainerCycleRow | undefined> {
    return (await this.db.readOne<TrainerCycleRow>(LAST_CYCLE, { scope, decisions }))[0];
  }

  async cyclesOf(versionIds: string[]): Promise<Map<string, TrainerCycleRow[]>> {
    const rows = await this.db.readOne<TrainerCycleRow & { versionId: string }>(CYCLES_OF, { versionIds });
    const out = new Map<string, TrainerCycleRow[]>();
    for (const { versionId, ...row } of rows) out.set(versionId, [...(out.get(versionId) ?? []), row]);
    return out;
  }
}
