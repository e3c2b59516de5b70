/**
 * Cypher for segments. A run writes its (:Segment) nodes with `current: false` under a new runId,
 * links members with IN_SEGMENT, then `promote` marks the run current and deletes the previous
 * run of the same model version in one transaction: readers (which filter on `current`) see the
 * old assignment or the new one, never a mix. Relies on the segment_id constraint and the
 * segment_model_version index (V001, V002).
 */
import type { Database } from '../db/database';

export interface SegmentWrite {
  id: string;
  label: string;
  size: number;
  k: number;
  silhouette: number;
  topCategoryIds: string[];
  topCategoryShares: number[];
  topProductIds: string[];
  topProductCounts: number[];
  avgRecencyDays: number | null;
  avgFrequency: number;
  avgMonetary: number;
  avgRfmScore: number | null;
  monetaryIsCount: boolean;
}

export interface SegmentRow extends SegmentWrite {
  modelVersion: string;
  runId: string;
  createdAt: string;
}

const FIELDS = `s.id AS id, s.label AS label, s.size AS size, s.k AS k, s.silhouette AS silhouette, s.modelVersion AS modelVersion,
                s.runId AS runId, toString(s.createdAt) AS createdAt, s.topCategoryIds AS topCategoryIds,
                s.topCategoryShares AS topCategoryShares, s.topProductIds AS topProductIds, s.topProductCounts AS topProductCounts,
                s.avgRecencyDays AS avgRecencyDays, s.avgFrequency AS avgFrequency, s.avgMonetary AS avgMonetary,
                s.avgRfmScore AS avgRfmScore, s.monetaryIsCount AS monetaryIsCount`;

const USER_EMBEDDINGS = {
  name: 'segment.userEmbeddings',
  // $property is one of the fixed slot property names (SLOTS), never user input.
  cypher: `MATCH (u:User) WHERE u[$property] IS NOT NULL AND ($userIdPrefix IS NULL OR u.id STARTS WITH $userIdPrefix)
           RETURN u.id AS id, u[$property] AS vector`,
};

const DELETE_ABANDONED = {
  name: 'segment.deleteAbandoned',
  cypher: `MATCH (s:Segment {modelVersion: $modelVersion}) WHERE s.current = false DETACH DELETE s`,
};

const CREATE = {
  name: 'segment.create',
  cypher: `UNWIND $segments AS row
           CREATE (s:Segment {modelVersion: $modelVersion, runId: $runId, current: false, createdAt: datetime()})
           SET s += row`,
};

const ASSIGN = {
  name: 'segment.assign',
  cypher: `UNWIND $rows AS row
           MATCH (u:User {id: row.userId}) MATCH (s:Segment {id: row.segmentId})
           CREATE (u)-[:IN_SEGMENT]->(s)`,
};

const PROMOTE = {
  name: 'segment.promote',
  cypher: `MATCH (s:Segment {modelVersion: $modelVersion, runId: $runId})
           SET s.current = true
           WITH count(s) AS promoted
           CALL (promoted) {
             MATCH (old:Segment {modelVersion: $modelVersion}) WHERE old.runId <> $runId
             DETACH DELETE old
             RETURN count(*) AS removed
           }
           RETURN promoted, removed`,
};

/** The version whose segments readers see: the active model version's if it has any, else the latest run. */
const SERVING_VERSION = {
  name: 'segment.servingVersion',
  cypher: `MATCH (s:Segment {current: true})
           WITH s.modelVersion AS version, max(s.createdAt) AS createdAt
           OPTIONAL MATCH (m:ModelVersion {id: version})
           RETURN version ORDER BY coalesce(m.active, false) DESC, createdAt DESC LIMIT 1`,
};

const LIST = {
  name: 'segment.list',
  cypher: `MATCH (s:Segment {modelVersion: $modelVersion}) WHERE s.current = true RETURN ${FIELDS} ORDER BY s.size DESC, s.id`,
};

const BY_IDS = {
  name: 'segment.byIds',
  cypher: `UNWIND $ids AS id MATCH (s:Segment {id: id}) WHERE s.current = true RETURN ${FIELDS}`,
};

/** FIELDS as a map of `s`. */
const SEGMENT_MAP = `{id: s.id, label: s.label, size: s.size, k: s.k, silhouette: s.silhouette, modelVersion: s.modelVersion,
                runId: s.runId, createdAt: toString(s.createdAt), topCategoryIds: s.topCategoryIds,
                topCategoryShares: s.topCategoryShares, topProductIds: s.topProductIds, topProductCounts: s.topProductCounts,
                avgRecencyDays: s.avgRecencyDays, avgFrequency: s.avgFrequency, avgMonetary: s.avgMonetary,
                avgRfmScore: s.avgRfmScore, monetaryIsCount: s.monetaryIsCount}`;

/**
 * Binds `segment`: `u`'s current segment, of the active model version first (a user is in one run
 * per version), else the newest; null when none. An aggregating subquery, so `u`'s row stays.
 */
export const SEGMENT_OF_U = `CALL (u) {
             MATCH (u)-[:IN_SEGMENT]->(s:Segment) WHERE s.current = true
             OPTIONAL MATCH (m:ModelVersion {id: s.modelVersion})
             WITH s ORDER BY coalesce(m.active, false) DESC, s.createdAt DESC
             RETURN head(collect(${SEGMENT_MAP})) AS segment
           }`;

const OF_USERS = {
  name: 'segment.ofUsers',
  cypher: `UNWIND $ids AS userId
           MATCH (u:User {id: userId})
           ${SEGMENT_OF_U}
           WITH userId, segment WHERE segment IS NOT NULL
           RETURN userId, segment`,
};

const MEMBERS = {
  name: 'segment.members',
  cypher: `MATCH (s:Segment {id: $id})<-[:IN_SEGMENT]-(u:User)
           WHERE $afterId IS NULL OR u.id > $afterId
           RETURN u.id AS id ORDER BY u.id LIMIT toInteger($limit)`,
};

export class SegmentRepository {
  constructor(private readonly db: Database) {}

  streamUserEmbeddings(property: string, userIdPrefix: string | null): AsyncIterable<{ id: string; vector: number[] }> {
    return this.db.stream<{ id: string; vector: number[] }>(USER_EMBEDDINGS, { property, userIdPrefix });
  }

  /** Runs of this version that never became current (a crashed run). */
  async deleteAbandoned(modelVersion: string): Promise<void> {
    await this.db.writeOne(DELETE_ABANDONED, { modelVersion });
  }

  async create(modelVersion: string, runId: string, segments: SegmentWrite[]): Promise<void> {
    await this.db.writeOne(CREATE, { modelVersion, runId, segments });
  }

  async assign(rows: { userId: string; segmentId: string }[]): Promise<void> {
    await this.db.writeOne(ASSIGN, { rows });
  }

  async promote(modelVersion: string, runId: string): Promise<{ promoted: number; removed: number }> {
    const rows = await this.db.writeOne<{ promoted: number; removed: number }>(PROMOTE, { modelVersion, runId });
    return rows[0] ?? { promoted: 0, removed: 0 };
  }

  async servingVersion(): Promise<string | null> {
    return (await this.db.readOne<{ version: string }>(SERVING_VERSION))[0]?.version ?? null;
  }

  async list(modelVersion: string): Promise<SegmentRow[]> {
    return this.db.readOne<SegmentRow>(LIST, { modelVersion });
  }

  async findByIds(ids: readonly string[]): Promise<SegmentRow[]> {
    return this.db.readOne<SegmentRow>(BY_IDS, { ids });
  }

  async ofUsers(ids: readonly string[]): Promise<(SegmentRow & { userId: string })[]> {
    return (await this.db.readOne<{ userId: string; segment: SegmentRow }>(OF_USERS, { ids })).map((r) => ({ ...r.segment, userId: r.userId }));
  }

  async members(id: string, afterId: string | null, limit: number): Promise<string[]> {
    return (await this.db.readOne<{ id: string }>(MEMBERS, { id, afterId, limit })).map((r) => r.id);
  }
}
