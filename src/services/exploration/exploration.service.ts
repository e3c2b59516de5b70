/**
 * Analyst exploration: bounded breadth-first neighbourhoods, shortest paths, segment overlap, graph
 * counts, model versions with their offline metrics, co-interaction and a 2-D embedding scatter.
 * Everything runs in one time-limited READ transaction per request (ExplorationRepository.read);
 * arguments are validated here so a query that could explode is refused before it reaches Neo4j.
 */
import type { Config } from '../../config';
import { INTERACTION_TYPES, InteractionType } from '../../domain/records';
import { BadInputError, NotFoundError } from '../../errors';
import { pca } from '../../ml/pca';
import type {
  ExplorationRepository,
  GraphNodeRow,
  ModelVersionInfoRow,
  TrainerCycleInfoRow,
  NeighbourRow,
  PathRow,
  SegmentRow,
} from '../../repositories/exploration.repository';
import type { ModelVersionRepository, Slot } from '../../repositories/model-version.repository';
import type { TrainingRecord } from '../../domain/training-record';
import { nodeKey, parseNodeKey } from './graph-node-key';

export const MAX_DEPTH = 3;
export const MAX_PATHS = 50;
export const MAX_SEGMENTS = 20;
export const MAX_CO_PURCHASE = 100;
export const MAX_MODEL_VERSIONS = 100;
/** Relationships read per node per hop, relative to the neighbours kept (several events per pair). */
const SCAN_FACTOR = 20;
const CO_PURCHASE_USER_CAP = 2000;
const CO_PURCHASE_EVENTS_PER_USER = 500;

export interface GraphNode {
  id: string;
  domainId: string;
  label: GraphNodeRow['label'];
  title: string | null;
  properties: Record<string, unknown>;
}

export interface GraphEdge {
  source: string;
  target: string;
  type: string;
  weight: number;
  count: number;
}

export interface Neighborhood {
  center: GraphNode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
  depth: number;
}

export interface GraphPath {
  length: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface SegmentOverlap {
  segments: SegmentRow[];
  pairs: { a: string; b: string; both: number; union: number; jaccard: number }[];
}

export interface ModelMetricsRow {
  model: string;
  split: string;
  users: number | null;
  recallAt10: number | null;
  recallAt20: number | null;
  ndcgAt10: number | null;
  ndcgAt20: number | null;
  hitRateAt20: number | null;
  coverageAt20: number | null;
}

export interface ModelVersionInfo {
  id: string;
  createdAt: string | null;
  status: string | null;
  active: boolean;
  slot: string | null;
  params: unknown;
  metrics: unknown;
  evaluation: ModelMetricsRow[];
  training: ModelTrainingInfo | null;
  cycles: TrainerCycleInfoRow[];
}

/** The stored TrainingRecord (src/pipeline/train.ts) with its snapshot time as ISO-8601. */
export type ModelTrainingInfo = Omit<TrainingRecord, 'snapshotAt'> & { snapshotAt: string | null };

function trainingInfo(text: string | null): ModelTrainingInfo | null {
  const record = parseJson(text) as TrainingRecord | null;
  if (!record || typeof record !== 'object' || typeof record.describes !== 'string') return null;
  return { ...record, snapshotAt: record.snapshotAt === null ? null : new Date(record.snapshotAt).toISOString() };
}

export interface ScatterPoint {
  userId: string;
  x: number;
  y: number;
  segmentId: string | null;
  segmentLabel: string | null;
}

export interface SegmentScatter {
  modelVersion: string | null;
  points: ScatterPoint[];
  explainedVariance: number[];
}

function toNode(row: GraphNodeRow): GraphNode {
  const { elementId: _elementId, label, id, title, ...rest } = row;
  const properties = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined));
  return { id: nodeKey(row), domainId: id, label, title, properties };
}

function intArg(name: string, value: number | null | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new BadInputError(`${name} must be an integer from ${min} to ${max}; got ${v}`, { argument: name, min, max });
  return v;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Rows per model and split from the JSON `affinity train` stores (graph-models/eval/format.ts runsToJson). */
export function evaluationRows(metrics: unknown): ModelMetricsRow[] {
  if (!Array.isArray(metrics)) return [];
  const rows: ModelMetricsRow[] = [];
  const at = (table: unknown, k: number): number | null => {
    const v = table && typeof table === 'object' ? (table as Record<string, unknown>)[k] : undefined;
    return typeof v === 'number' ? v : null;
  };
  for (const run of metrics as Record<string, unknown>[]) {
    if (!run || typeof run !== 'object' || typeof run.name !== 'string') continue;
    for (const split of ['validation', 'test'] as const) {
      const r = run[split] as Record<string, unknown> | undefined;
      if (!r || typeof r !== 'object') continue;
      rows.push({
        model: run.name,
        split,
        users: typeof r.users === 'number' ? r.users : null,
        recallAt10: at(r.recall, 10),
        recallAt20: at(r.recall, 20),
        ndcgAt10: at(r.ndcg, 10),
        ndcgAt20: at(r.ndcg, 20),
        hitRateAt20: at(r.hitRate, 20),
        coverageAt20: at(r.coverage, 20),
      });
    }
  }
  return rows;
}

export class ExplorationService {
  constructor(
    private readonly repository: ExplorationRepository,
    private readonly versions: ModelVersionRepository,
    private readonly limits: Config['analyst'],
  ) {}

  async neighborhood(args: { nodeId: string; depth?: number | null; limit?: number | null }): Promise<Neighborhood> {
    const key = parseNodeKey(args.nodeId);
    // Static bounds (depth 1..3, ...) are checked by the GraphQL args classes (resolvers/exploration/exploration.input.ts).
    const depth = args.depth ?? 1;
    const limit = intArg('limit', args.limit, 100, 1, this.limits.maxNodes);
    const fanOut = Math.min(this.limits.fanOutPerNode, limit);
    return this.repository.read(async (tx) => {
      const start = await this.repository.resolve(tx, key.label, key.id);
      if (!start) throw new NotFoundError(key.label, key.id);
      const nodes = new Map<string, GraphNodeRow>([[start.elementId, start]]);
      const edges = new Map<string, GraphEdge>();
      let truncated = false;
      let frontier = [start.elementId];
      for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
        const expansions = await this.repository.expand(tx, { elementIds: frontier, fanOut, scanPerNode: fanOut * SCAN_FACTOR });
        const next: string[] = [];
        for (const expansion of expansions) {
          if (expansion.truncated) truncated = true;
          const from = nodes.get(expansion.elementId);
          if (!from) continue;
          for (const neighbour of expansion.neighbours) {
            if (!nodes.has(neighbour.node.elementId)) {
              if (nodes.size >= limit) {
                truncated = true;
                continue;
              }
              nodes.set(neighbour.node.elementId, neighbour.node);
              next.push(neighbour.node.elementId);
            }
            addEdge(edges, from, neighbour);
          }
        }
        frontier = next;
      }
      return { center: toNode(start), nodes: [...nodes.values()].map(toNode), edges: [...edges.values()], truncated, depth };
    });
  }

  async paths(args: { from: string; to: string; maxHops?: number | null; limit?: number | null }): Promise<{ paths: GraphPath[]; truncated: boolean }> {
    const from = parseNodeKey(args.from, 'from');
    const to = parseNodeKey(args.to, 'to');
    const maxHops = args.maxHops ?? 3;
    const limit = args.limit ?? 10;
    if (from.label === to.label && from.id === to.id) throw new BadInputError('from and to are the same node');
    return this.repository.read(async (tx) => {
      const a = await this.repository.resolve(tx, from.label, from.id);
      if (!a) throw new NotFoundError(from.label, from.id);
      const b = await this.repository.resolve(tx, to.label, to.id);
      if (!b) throw new NotFoundError(to.label, to.id);
      // Several events between one user and product give several equal paths; read extra, keep distinct node sequences.
      const scan = limit * 10;
      const rows = await this.repository.shortestPaths(tx, { from: a.elementId, to: b.elementId, maxHops, scan });
      const seen = new Set<string>();
      const paths: GraphPath[] = [];
      for (const row of rows) {
        const signature = row.nodes.map((n) => n.elementId).join('>');
        if (seen.has(signature)) continue;
        seen.add(signature);
        if (paths.length < limit) paths.push(toPath(row));
      }
      return { paths, truncated: seen.size > limit || rows.length >= scan };
    });
  }

  async segmentOverlap(segmentIds: string[]): Promise<SegmentOverlap> {
    const ids = [...new Set(segmentIds)];
    if (ids.length < 2 || ids.length > MAX_SEGMENTS) throw new BadInputError(`segmentIds must name 2 to ${MAX_SEGMENTS} distinct segments; got ${ids.length}`);
    return this.repository.read(async (tx) => {
      const segments = await this.repository.segments(tx, ids);
      const byId = new Map(segments.map((s) => [s.id, s]));
      const missing = ids.find((id) => !byId.has(id));
      if (missing !== undefined) throw new NotFoundError('Segment', missing);
      const pairs = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ a, b })));
      const counted = await this.repository.segmentPairs(tx, pairs);
      return {
        segments: ids.map((id) => byId.get(id) as SegmentRow),
        pairs: counted.map(({ a, b, both }) => {
          const union = (byId.get(a)?.members ?? 0) + (byId.get(b)?.members ?? 0) - both;
          return { a, b, both, union, jaccard: union === 0 ? 0 : both / union };
        }),
      };
    });
  }

  async graphStats(): Promise<{
    labels: { name: string; count: number }[];
    relationships: { name: string; count: number }[];
    events: { name: string; count: number }[];
    density: number;
  }> {
    return this.repository.read(async (tx) => {
      const labels = await this.repository.labelCounts(tx);
      const relationships = await this.repository.relationshipCounts(tx);
      const events = await this.repository.eventCounts(tx, INTERACTION_TYPES);
      const count = (rows: { name: string; count: number }[], name: string): number => rows.find((r) => r.name === name)?.count ?? 0;
      const pairs = count(labels, 'User') * count(labels, 'Product');
      return { labels, relationships, events, density: pairs === 0 ? 0 : count(relationships, 'INTERACTED') / pairs };
    });
  }

  async modelVersions(limit?: number | null): Promise<ModelVersionInfo[]> {
    const size = limit ?? 20;
    const rows = await this.repository.read((tx) => this.repository.modelVersions(tx, size));
    return rows.map((row: ModelVersionInfoRow) => {
      const metrics = parseJson(row.metrics);
      return { ...row, params: parseJson(row.params), metrics, evaluation: evaluationRows(metrics), training: trainingInfo(row.training) };
    });
  }

  async coPurchase(args: { productId: string; first?: number | null; types?: InteractionType[] | null }): Promise<{
    productId: string;
    usersSampled: number;
    truncated: boolean;
    items: { productId: string; users: number; events: number; share: number }[];
  }> {
    const first = args.first ?? 10;
    const types = args.types && args.types.length > 0 ? [...new Set(args.types)] : null;
    return this.repository.read(async (tx) => {
      const params = { productId: args.productId, types, userCap: CO_PURCHASE_USER_CAP };
      const usersSampled = await this.repository.productUsers(tx, params);
      if (usersSampled === undefined) throw new NotFoundError('Product', args.productId);
      const rows = await this.repository.coInteracted(tx, { ...params, perUser: CO_PURCHASE_EVENTS_PER_USER, first });
      return {
        productId: args.productId,
        usersSampled,
        truncated: usersSampled >= CO_PURCHASE_USER_CAP,
        items: rows.map((r) => ({ productId: r.productId, users: r.users, events: r.events, share: usersSampled === 0 ? 0 : r.users / usersSampled })),
      };
    });
  }

  /**
   * Users' GAT embeddings of a model version (the active one by default) projected to 2-D by PCA,
   * each with its segment of that version. With segmentIds only those segments' members are drawn.
   */
  async segmentScatter(args: { modelVersion?: string | null; segmentIds?: string[] | null; limit?: number | null }): Promise<SegmentScatter> {
    const limit = intArg('limit', args.limit, 2000, 1, this.limits.maxScatterPoints);
    const segmentIds = args.segmentIds && args.segmentIds.length > 0 ? [...new Set(args.segmentIds)] : null;
    const version = args.modelVersion ? await this.versions.byId(args.modelVersion) : await this.versions.active();
    if (args.modelVersion && !version) throw new NotFoundError('ModelVersion', args.modelVersion);
    if (!version || !version.slot) return { modelVersion: version?.id ?? null, points: [], explainedVariance: [] };
    const slot = version.slot as Slot;
    const rows = await this.repository.read((tx) => this.repository.embeddingSample(tx, { slot, modelVersion: version.id, segmentIds, limit }));
    const projection = pca(rows.map((r) => r.vector), 2);
    return {
      modelVersion: version.id,
      explainedVariance: rows.length > 0 ? projection.explainedVariance : [],
      points: rows.map((r, i) => ({
        userId: r.userId,
        x: projection.points[i][0],
        y: projection.points[i][1],
        segmentId: r.segmentId,
        segmentLabel: r.segmentLabel,
      })),
    };
  }
}

function addEdge(edges: Map<string, GraphEdge>, from: GraphNodeRow, neighbour: NeighbourRow): void {
  const [source, target] = neighbour.outgoing ? [nodeKey(from), nodeKey(neighbour.node)] : [nodeKey(neighbour.node), nodeKey(from)];
  const key = `${source}|${neighbour.type}|${target}`;
  // Seen from both ends the same pair may have been read with different caps; keep the fuller count.
  const known = edges.get(key);
  if (!known || known.count < neighbour.count) edges.set(key, { source, target, type: neighbour.type, weight: neighbour.weight, count: neighbour.count });
}

function toPath(row: PathRow): GraphPath {
  const byElement = new Map(row.nodes.map((n) => [n.elementId, n]));
  const keyOf = (elementId: string): string => {
    const node = byElement.get(elementId);
    return node ? nodeKey(node) : elementId;
  };
  return {
    length: row.rels.length,
    nodes: row.nodes.map(toNode),
    edges: row.rels.map((r) => ({ source: keyOf(r.source), target: keyOf(r.target), type: r.type, weight: r.weight ?? 1, count: 1 })),
  };
}
