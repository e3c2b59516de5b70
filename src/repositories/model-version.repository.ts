/**
 * Model versions and their published embeddings. GAT embeddings live in one of two slots
 * (Product.embedding / User.embedding, or the *Alt pair), each with its own vector index, so a new
 * version is written beside the serving one and made active in a single transaction.
 */
import { int } from 'neo4j-driver';
import type { Database } from '../db/database';

export type Slot = 'a' | 'b';

export interface SlotNames {
  property: string;
  productIndex: string;
  userIndex: string;
  /**
   * User properties holding the user's candidate list, computed at publish from the slot's index
   * (candidate-list.repository.ts): parallel lists of product ids and index scores.
   */
  lists: { ids: string; scores: string };
  /** List properties earlier releases also wrote (each candidate's closest recent product); removed with the list. */
  formerLists: string[];
}

/** Property and index names per slot; fixed strings, never user input. */
export const SLOTS: Record<Slot, SlotNames> = {
  a: {
    property: 'embedding',
    productIndex: 'product_embedding',
    userIndex: 'user_embedding',
    lists: { ids: 'candidateIds', scores: 'candidateScores' },
    formerLists: ['candidateClosestIds', 'candidateClosestSimilarities'],
  },
  b: {
    property: 'embeddingAlt',
    productIndex: 'product_embedding_alt',
    userIndex: 'user_embedding_alt',
    lists: { ids: 'candidateIdsAlt', scores: 'candidateScoresAlt' },
    formerLists: ['candidateClosestIdsAlt', 'candidateClosestSimilaritiesAlt'],
  },
};

/** One of a thing per slot, built once (statements whose index and property names differ by slot). */
export function perSlot<T>(build: (slot: Slot) => T): Record<Slot, T> {
  return { a: build('a'), b: build('b') };
}

export interface ModelVersionRow {
  id: string;
  createdAt: string;
  status: string;
  active: boolean;
  slot: Slot | null;
  dim: number | null;
  artifactDir: string | null;
  params: string | null;
  metrics: string | null;
  /** Set while the version's candidate lists are current (see SET_LIST_SIZE). */
  candidateListSize: number | null;
  /** Products embedded after publish, which no stored list holds. */
  newProducts: number;
  /** Epoch ms when the training snapshot was read (null for versions from before it was recorded). */
  snapshotAt: number | null;
  /** The TrainingRecord JSON (src/domain/training-record.ts). */
  training: string | null;
  /** Width of the text vectors the model was trained on (0: no text input; null for versions from before it was recorded). */
  textDim: number | null;
}

const FIELDS = `m.id AS id, toString(m.createdAt) AS createdAt, m.status AS status, m.active AS active, m.slot AS slot,
                m.dim AS dim, m.artifactDir AS artifactDir, m.params AS params, m.metrics AS metrics,
                m.candidateListSize AS candidateListSize, size(coalesce(m.newProductIds, [])) AS newProducts,
                m.snapshotAt.epochMillis AS snapshotAt, m.training AS training, m.textDim AS textDim`;

const CREATE = {
  name: 'modelVersion.create',
  cypher: `CREATE (m:ModelVersion {id: $id, createdAt: datetime(), status: 'trained', active: false, dim: $dim,
                                   artifactDir: $artifactDir, params: $params, metrics: $metrics, training: $training, textDim: $textDim,
                                   snapshotAt: CASE WHEN $snapshotAt IS NULL THEN null ELSE datetime({epochMillis: toInteger($snapshotAt)}) END})`,
};

/** Neo4j's clock, so a snapshot's time compares with User.eventsRecordedAt (written with datetime()). */
const CLOCK = { name: 'modelVersion.clock', cypher: 'RETURN datetime().epochMillis AS now' };

const ACTIVE = { name: 'modelVersion.active', cypher: `MATCH (m:ModelVersion {active: true}) RETURN ${FIELDS}` };
const BY_ID = { name: 'modelVersion.byId', cypher: `MATCH (m:ModelVersion {id: $id}) RETURN ${FIELDS}` };
const ALL = { name: 'modelVersion.all', cypher: `MATCH (m:ModelVersion) RETURN ${FIELDS} ORDER BY m.createdAt DESC LIMIT 100` };
const SET_STATUS = { name: 'modelVersion.setStatus', cypher: 'MATCH (m:ModelVersion {id: $id}) SET m.status = $status, m.slot = coalesce($slot, m.slot)' };
/**
 * Candidate lists serve only while candidateListSize is set; products embedded after publish are
 * noted in newProductIds (product.repository.ts writeProductVector), which clears it past its bound.
 */
const SET_LIST_SIZE = { name: 'modelVersion.setCandidateListSize', cypher: 'MATCH (m:ModelVersion {id: $id}) SET m.candidateListSize = $size' };
/** Before a version's lists are (re)computed: a republished version starts with no lists and no newcomers noted. */
const CLEAR_LISTS = { name: 'modelVersion.clearCandidateLists', cypher: 'MATCH (m:ModelVersion {id: $id}) REMOVE m.candidateListSize, m.newProductIds' };
const SET_METRICS = { name: 'modelVersion.setMetrics', cypher: 'MATCH (m:ModelVersion {id: $id}) SET m.metrics = $metrics' };

/**
 * Per slot, the version written there last, when it was published: the versions whose vectors are
 * still in place (an experiment may serve the previous version until the next publish reuses its slot).
 */
const SERVABLE = {
  name: 'modelVersion.servable',
  cypher: `MATCH (m:ModelVersion) WHERE m.slot IS NOT NULL
           WITH m ORDER BY m.createdAt DESC
           WITH m.slot AS slot, collect(m)[0] AS m
           WITH m WHERE m.publishedAt IS NOT NULL
           RETURN ${FIELDS}`,
};

/** Deactivates whatever is active and activates the new version in one transaction. */
const FLIP = {
  name: 'modelVersion.flip',
  cypher: `MATCH (next:ModelVersion {id: $id})
           OPTIONAL MATCH (prev:ModelVersion {active: true}) WHERE prev <> next
           SET prev.active = false
           SET next.active = true, next.status = 'published', next.publishedAt = datetime()
           RETURN next.id AS id`,
};

function writeVectors(label: 'Product' | 'User', slot: Slot) {
  return {
    name: `modelVersion.write${label}Vectors.${slot}`,
    cypher: `UNWIND $rows AS row MATCH (n:${label} {id: row.id})
             CALL db.create.setNodeVectorProperty(n, '${SLOTS[slot].property}', row.vector)`,
  };
}

function clearVectors(label: 'Product' | 'User', slot: Slot) {
  const { property, lists, formerLists } = SLOTS[slot];
  // A user's candidate list belongs to the vector it was computed from (its lists are written together).
  const remove = label === 'User' ? [property, lists.ids, lists.scores, ...formerLists] : [property];
  const present = label === 'User' ? `n.${property} IS NOT NULL OR n.${lists.ids} IS NOT NULL` : `n.${property} IS NOT NULL`;
  return {
    name: `modelVersion.clear${label}Vectors.${slot}`,
    cypher: `MATCH (n:${label}) WHERE ${present}
             CALL (n) { REMOVE ${remove.map((p) => `n.${p}`).join(', ')} } IN TRANSACTIONS OF 10000 ROWS`,
  };
}

function indexOf(label: 'Product' | 'User', slot: Slot): string {
  return label === 'Product' ? SLOTS[slot].productIndex : SLOTS[slot].userIndex;
}

function dropIndex(label: 'Product' | 'User', slot: Slot) {
  return { name: `modelVersion.dropIndex.${label}.${slot}`, cypher: `DROP INDEX ${indexOf(label, slot)} IF EXISTS` };
}

function createIndex(label: 'Product' | 'User', slot: Slot) {
  return {
    name: `modelVersion.createIndex.${label}.${slot}`,
    cypher: `CREATE VECTOR INDEX ${indexOf(label, slot)} IF NOT EXISTS FOR (n:${label}) ON n.${SLOTS[slot].property}
             OPTIONS {indexConfig: {\`vector.dimensions\`: $dim, \`vector.similarity_function\`: 'cosine'}}`,
  };
}

export class ModelVersionRepository {
  constructor(private readonly db: Database) {}

  async create(version: {
    id: string;
    dim: number;
    artifactDir: string;
    params: string;
    metrics: string;
    training?: string | null;
    snapshotAt?: number | null;
    textDim?: number | null;
  }): Promise<void> {
    await this.db.writeOne(CREATE, { training: null, snapshotAt: null, textDim: null, ...version });
  }

  /** Neo4j's current time, epoch ms. */
  async clock(): Promise<number> {
    const [row] = await this.db.readOne<{ now: number }>(CLOCK);
    return Number(row.now);
  }

  async active(): Promise<ModelVersionRow | undefined> {
    return (await this.db.readOne<ModelVersionRow>(ACTIVE))[0];
  }

  async byId(id: string): Promise<ModelVersionRow | undefined> {
    return (await this.db.readOne<ModelVersionRow>(BY_ID, { id }))[0];
  }

  async servable(): Promise<ModelVersionRow[]> {
    return this.db.readOne<ModelVersionRow>(SERVABLE);
  }

  async all(): Promise<ModelVersionRow[]> {
    return this.db.readOne<ModelVersionRow>(ALL);
  }

  async setStatus(id: string, status: string, slot: Slot | null = null): Promise<void> {
    await this.db.writeOne(SET_STATUS, { id, status, slot });
  }

  async setMetrics(id: string, metrics: string): Promise<void> {
    await this.db.writeOne(SET_METRICS, { id, metrics });
  }

  async setCandidateListSize(id: string, size: number): Promise<void> {
    await this.db.writeOne(SET_LIST_SIZE, { id, size: int(size) });
  }

  async clearCandidateLists(id: string): Promise<void> {
    await this.db.writeOne(CLEAR_LISTS, { id });
  }

  async clearSlot(label: 'Product' | 'User', slot: Slot): Promise<void> {
    await this.db.autoCommit(clearVectors(label, slot));
  }

  async writeVectors(label: 'Product' | 'User', slot: Slot, rows: { id: string; vector: number[] }[]): Promise<void> {
    await this.db.writeOne(writeVectors(label, slot), { rows });
  }

  /** Drops the slot's vector index (publish rebuilds it after writing, see PublishService). */
  async dropIndex(label: 'Product' | 'User', slot: Slot): Promise<void> {
    await this.db.autoCommit(dropIndex(label, slot));
  }

  async createIndex(label: 'Product' | 'User', slot: Slot, dim: number): Promise<void> {
    // Index options take no expressions, and a JS number would arrive as a float.
    await this.db.autoCommit(createIndex(label, slot), { dim: int(dim) });
  }

  async awaitIndex(name: string, seconds: number): Promise<void> {
    await this.db.autoCommit({ name: 'modelVersion.awaitIndex', cypher: 'CALL db.awaitIndex($name, $seconds)' }, { name, seconds });
  }

  async flip(id: string): Promise<void> {
    const rows = await this.db.writeOne<{ id: string }>(FLIP, { id });
    if (rows.length !== 1) throw new Error(`Model version ${id} does not exist`);
  }
}
