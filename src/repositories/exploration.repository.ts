/**
 * Cypher for analyst exploration: neighbourhoods, shortest paths, segment overlap, graph counts,
 * co-interaction and embedding samples. Every statement is bounded (LIMIT inside the per-node
 * subqueries, caps passed as parameters) and runs through Database.readLimited, so Neo4j itself
 * ends a transaction that takes too long. Labels, relationship types, hop counts and embedding
 * properties in the text come from the fixed tables below, never from the caller.
 * Lookups rely on the id constraints (user_id, product_id, category_id, segment_id) and on the
 * interaction_type and segment_model_version indexes.
 */
import type { Database, Query, Tx } from '../db/database';
import { SLOTS, Slot } from './model-version.repository';

export const GRAPH_LABELS = ['User', 'Product', 'Category', 'Segment'] as const;
export type GraphLabel = (typeof GRAPH_LABELS)[number];

/** The relationships an analyst may walk; partners, keys and migration history stay out of view. */
const RELS = 'INTERACTED|IN_CATEGORY|SUBCATEGORY_OF|IN_SEGMENT';
const IS_DOMAIN = (v: string): string => `(${v}:User OR ${v}:Product OR ${v}:Category OR ${v}:Segment)`;

/** What the explorer shows of a node: its identity and a few small properties, never vectors. */
const NODE = (v: string): string => `{
  elementId: elementId(${v}), label: [l IN labels(${v}) WHERE l IN ['User', 'Product', 'Category', 'Segment']][0], id: ${v}.id,
  title: coalesce(${v}.title, ${v}.name, ${v}.label, ${v}.id),
  price: ${v}.price, currency: ${v}.currency, brand: ${v}.brand, inStock: ${v}.inStock, country: ${v}.country,
  size: ${v}.size, modelVersion: ${v}.modelVersion }`;

export interface GraphNodeRow {
  elementId: string;
  label: GraphLabel;
  id: string;
  title: string | null;
  price: number | null;
  currency: string | null;
  brand: string | null;
  inStock: boolean | null;
  country: string | null;
  size: number | null;
  modelVersion: string | null;
}

export interface NeighbourRow {
  node: GraphNodeRow;
  type: string;
  /** True when the relationship points from the expanded node to the neighbour. */
  outgoing: boolean;
  weight: number;
  count: number;
}

export interface ExpansionRow {
  elementId: string;
  neighbours: NeighbourRow[];
  /** The node had more relationships than were scanned or more neighbours than were kept. */
  truncated: boolean;
}

export interface PathRow {
  nodes: GraphNodeRow[];
  rels: { type: string; source: string; target: string; weight: number | null }[];
}

const RESOLVE: Record<GraphLabel, Query> = Object.fromEntries(
  GRAPH_LABELS.map((label) => [
    label,
    { name: `exploration.resolve${label}`, cypher: `MATCH (n:${label} {id: $id}) RETURN ${NODE('n')} AS node` },
  ]),
) as Record<GraphLabel, Query>;

/**
 * One hop for a frontier of nodes. Per node, at most $scanPerNode relationships are read (so a hub
 * with 100k events costs the same as a small node), grouped per neighbour (one INTERACTED edge per
 * user-product pair, weights summed) and the $fanOut heaviest neighbours kept.
 */
const EXPAND: Query = {
  name: 'exploration.expand',
  cypher: `UNWIND $elementIds AS eid
           MATCH (n) WHERE elementId(n) = eid
           CALL (n) {
             MATCH (n)-[r:${RELS}]-(m) WHERE ${IS_DOMAIN('m')}
             WITH r, m LIMIT toInteger($scanPerNode)
             WITH m, type(r) AS type, startNode(r) = n AS outgoing, sum(coalesce(r.weight, 1.0)) AS weight, count(r) AS count
             ORDER BY weight DESC, m.id
             WITH collect({node: ${NODE('m')}, type: type, outgoing: outgoing, weight: weight, count: count}) AS ranked, sum(count) AS scanned
             RETURN ranked[0..toInteger($fanOut)] AS neighbours, size(ranked) > $fanOut OR scanned >= $scanPerNode AS truncated
           }
           RETURN eid AS elementId, neighbours, truncated`,
};

/** Variable-length bounds cannot be parameters in Cypher, so there is one statement per hop count. */
export const MAX_PATH_HOPS = 4;
const PATHS: Record<number, Query> = Object.fromEntries(
  Array.from({ length: MAX_PATH_HOPS }, (_, i) => i + 1).map((hops) => [
    hops,
    {
      name: `exploration.paths${hops}`,
      cypher: `MATCH (a) WHERE elementId(a) = $from
               MATCH (b) WHERE elementId(b) = $to
               MATCH p = allShortestPaths((a)-[:${RELS}*..${hops}]-(b))
               WITH p LIMIT toInteger($scan)
               RETURN [x IN nodes(p) | ${NODE('x')}] AS nodes,
                      [r IN relationships(p) | {type: type(r), source: elementId(startNode(r)), target: elementId(endNode(r)), weight: r.weight}] AS rels`,
    },
  ]),
);

const SEGMENTS: Query = {
  name: 'exploration.segments',
  cypher: `UNWIND $ids AS id MATCH (s:Segment {id: id})
           RETURN s.id AS id, s.label AS label, s.modelVersion AS modelVersion, COUNT { (s)<-[:IN_SEGMENT]-(:User) } AS members`,
};

const SEGMENT_PAIRS: Query = {
  name: 'exploration.segmentPairs',
  cypher: `UNWIND $pairs AS pair
           MATCH (a:Segment {id: pair.a}), (b:Segment {id: pair.b})
           RETURN a.id AS a, b.id AS b, COUNT { MATCH (a)<-[:IN_SEGMENT]-(u:User) WHERE (u)-[:IN_SEGMENT]->(b) } AS both`,
};

/** Counts by label and type come from Neo4j's count store; events by type from the interaction_type index. */
const LABEL_COUNTS: Query = {
  name: 'exploration.labelCounts',
  cypher: `CALL () {
             MATCH (n:User) RETURN 'User' AS name, count(n) AS count
             UNION ALL MATCH (n:Product) RETURN 'Product' AS name, count(n) AS count
             UNION ALL MATCH (n:Category) RETURN 'Category' AS name, count(n) AS count
             UNION ALL MATCH (n:Segment) RETURN 'Segment' AS name, count(n) AS count
             UNION ALL MATCH (n:Partner) RETURN 'Partner' AS name, count(n) AS count
             UNION ALL MATCH (n:ModelVersion) RETURN 'ModelVersion' AS name, count(n) AS count
           }
           RETURN name, count`,
};

const REL_COUNTS: Query = {
  name: 'exploration.relationshipCounts',
  cypher: `CALL () {
             MATCH ()-[r:INTERACTED]->() RETURN 'INTERACTED' AS name, count(r) AS count
             UNION ALL MATCH ()-[r:IN_CATEGORY]->() RETURN 'IN_CATEGORY' AS name, count(r) AS count
             UNION ALL MATCH ()-[r:SUBCATEGORY_OF]->() RETURN 'SUBCATEGORY_OF' AS name, count(r) AS count
             UNION ALL MATCH ()-[r:IN_SEGMENT]->() RETURN 'IN_SEGMENT' AS name, count(r) AS count
             UNION ALL MATCH ()-[r:MEMBER_OF]->() RETURN 'MEMBER_OF' AS name, count(r) AS count
           }
           RETURN name, count`,
};

const EVENT_COUNTS: Query = {
  name: 'exploration.eventCounts',
  cypher: `UNWIND $types AS type
           RETURN type AS name, COUNT { MATCH ()-[r:INTERACTED]->() WHERE r.type = type } AS count`,
};

const MODEL_VERSIONS: Query = {
  name: 'exploration.modelVersions',
  cypher: `MATCH (m:ModelVersion)
           RETURN m.id AS id, toString(m.createdAt) AS createdAt, m.status AS status, coalesce(m.active, false) AS active,
                  m.slot AS slot, m.params AS params, m.metrics AS metrics, m.training AS training,
                  [(c:TrainerCycle)-[:CANDIDATE]->(m) | c {.id, .trigger, .decision, .reason, .events, .newEvents, .candidateNdcg20, .activeNdcg20,
                     .candidateRecall20, .activeRecall20, .windowUsers, .activeVersion, .owner,
                     startedAt: toString(c.startedAt), endedAt: toString(c.endedAt),
                     seconds: (c.endedAt.epochMillis - c.startedAt.epochMillis) / 1000.0}] AS cycles
           ORDER BY m.createdAt DESC LIMIT toInteger($limit)`,
};

/**
 * Products that the users of a product also interacted with. At most $userCap users of the product
 * and $perUser events per user are read, so a blockbuster costs a bounded amount of work.
 */
const CO_INTERACTED: Query = {
  name: 'exploration.coInteracted',
  cypher: `MATCH (p:Product {id: $productId})
           CALL (p) {
             MATCH (p)<-[r:INTERACTED]-(u:User) WHERE $types IS NULL OR r.type IN $types
             WITH DISTINCT u LIMIT toInteger($userCap)
             RETURN collect(u) AS users
           }
           UNWIND users AS u
           CALL (u, p) {
             MATCH (u)-[r:INTERACTED]->(o:Product) WHERE o <> p AND ($types IS NULL OR r.type IN $types)
             WITH o LIMIT toInteger($perUser)
             RETURN o, count(*) AS events
           }
           WITH size(users) AS sampled, o, count(DISTINCT u) AS users, sum(events) AS events
           ORDER BY users DESC, events DESC, o.id LIMIT toInteger($first)
           RETURN sampled, o.id AS productId, users, events`,
};

const PRODUCT_USERS: Query = {
  name: 'exploration.productUsers',
  cypher: `MATCH (p:Product {id: $productId})
           RETURN COUNT { MATCH (p)<-[r:INTERACTED]-(u:User) WHERE $types IS NULL OR r.type IN $types WITH DISTINCT u LIMIT toInteger($userCap) RETURN u } AS users`,
};

export interface SegmentRow {
  id: string;
  label: string | null;
  modelVersion: string | null;
  members: number;
}

export interface CountRow {
  name: string;
  count: number;
}

export interface ModelVersionInfoRow {
  id: string;
  createdAt: string | null;
  status: string | null;
  active: boolean;
  slot: string | null;
  params: string | null;
  metrics: string | null;
  training: string | null;
  /** Continuous-trainer cycles whose candidate this version was (trainer.repository.ts). */
  cycles: TrainerCycleInfoRow[];
}

export interface TrainerCycleInfoRow {
  id: string;
  trigger: string;
  decision: string;
  reason: string;
  events: number;
  newEvents: number;
  candidateNdcg20: number | null;
  activeNdcg20: number | null;
  candidateRecall20: number | null;
  activeRecall20: number | null;
  windowUsers: number | null;
  activeVersion: string | null;
  owner: string;
  startedAt: string;
  endedAt: string;
  seconds: number;
}

export interface CoInteractedRow {
  sampled: number;
  productId: string;
  users: number;
  events: number;
}

export interface EmbeddingSampleRow {
  userId: string;
  vector: number[];
  segmentId: string | null;
  segmentLabel: string | null;
}

/** Segments staged by a segmentation run carry current = false until promoted; they are not drawn. */
function embeddingSample(slot: Slot, bySegments: boolean): Query {
  const property = SLOTS[slot].property;
  return bySegments
    ? {
        name: `exploration.segmentEmbeddings.${slot}`,
        cypher: `UNWIND $segmentIds AS sid
                 MATCH (s:Segment {id: sid})<-[:IN_SEGMENT]-(u:User) WHERE u.${property} IS NOT NULL
                 WITH u, s LIMIT toInteger($limit)
                 RETURN u.id AS userId, u.${property} AS vector, s.id AS segmentId, s.label AS segmentLabel`,
      }
    : {
        name: `exploration.userEmbeddings.${slot}`,
        cypher: `MATCH (u:User) WHERE u.${property} IS NOT NULL
                 WITH u LIMIT toInteger($limit)
                 OPTIONAL MATCH (u)-[:IN_SEGMENT]->(s:Segment) WHERE s.modelVersion = $modelVersion AND coalesce(s.current, true)
                 WITH u, head(collect(s)) AS s
                 RETURN u.id AS userId, u.${property} AS vector, s.id AS segmentId, s.label AS segmentLabel`,
      };
}

/** Statements take an open transaction: the service runs several hops inside one time-limited READ. */
export class ExplorationRepository {
  constructor(
    private readonly db: Database,
    private readonly timeoutMs: number,
  ) {}

  /** A READ transaction that Neo4j ends after the analyst timeout (QueryLimitError). */
  async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.readLimited(work, { timeoutMs: this.timeoutMs });
  }

  async resolve(tx: Tx, label: GraphLabel, id: string): Promise<GraphNodeRow | undefined> {
    const result = await tx.run<{ node: GraphNodeRow }>(RESOLVE[label], { id });
    return result.records[0]?.get('node');
  }

  async expand(tx: Tx, args: { elementIds: string[]; fanOut: number; scanPerNode: number }): Promise<ExpansionRow[]> {
    const result = await tx.run<ExpansionRow>(EXPAND, args);
    return result.records.map((r) => r.toObject());
  }

  async shortestPaths(tx: Tx, args: { from: string; to: string; maxHops: number; scan: number }): Promise<PathRow[]> {
    const query = PATHS[args.maxHops];
    if (!query) throw new RangeError(`maxHops must be 1..${MAX_PATH_HOPS}`);
    const result = await tx.run<PathRow>(query, { from: args.from, to: args.to, scan: args.scan });
    return result.records.map((r) => r.toObject());
  }

  async segments(tx: Tx, ids: string[]): Promise<SegmentRow[]> {
    return (await tx.run<SegmentRow>(SEGMENTS, { ids })).records.map((r) => r.toObject());
  }

  async segmentPairs(tx: Tx, pairs: { a: string; b: string }[]): Promise<{ a: string; b: string; both: number }[]> {
    return (await tx.run<{ a: string; b: string; both: number }>(SEGMENT_PAIRS, { pairs })).records.map((r) => r.toObject());
  }

  async labelCounts(tx: Tx): Promise<CountRow[]> {
    return (await tx.run<CountRow>(LABEL_COUNTS)).records.map((r) => r.toObject());
  }

  async relationshipCounts(tx: Tx): Promise<CountRow[]> {
    return (await tx.run<CountRow>(REL_COUNTS)).records.map((r) => r.toObject());
  }

  async eventCounts(tx: Tx, types: readonly string[]): Promise<CountRow[]> {
    return (await tx.run<CountRow>(EVENT_COUNTS, { types })).records.map((r) => r.toObject());
  }

  async modelVersions(tx: Tx, limit: number): Promise<ModelVersionInfoRow[]> {
    return (await tx.run<ModelVersionInfoRow>(MODEL_VERSIONS, { limit })).records.map((r) => r.toObject());
  }

  async coInteracted(tx: Tx, args: { productId: string; types: string[] | null; userCap: number; perUser: number; first: number }): Promise<CoInteractedRow[]> {
    return (await tx.run<CoInteractedRow>(CO_INTERACTED, args)).records.map((r) => r.toObject());
  }

  async productUsers(tx: Tx, args: { productId: string; types: string[] | null; userCap: number }): Promise<number | undefined> {
    const result = await tx.run<{ users: number }>(PRODUCT_USERS, args);
    return result.records[0]?.get('users');
  }

  async embeddingSample(
    tx: Tx,
    args: { slot: Slot; modelVersion: string; segmentIds: string[] | null; limit: number },
  ): Promise<EmbeddingSampleRow[]> {
    const query = embeddingSample(args.slot, args.segmentIds !== null);
    const result = await tx.run<EmbeddingSampleRow>(query, { modelVersion: args.modelVersion, segmentIds: args.segmentIds, limit: args.limit });
    return result.records.map((r) => r.toObject());
  }
}
