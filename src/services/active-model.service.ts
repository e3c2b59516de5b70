/**
 * The model version that serves: its slot (which vector index to query) and, loaded lazily from its
 * artifact, the GAT itself for inductive use (folding in fresh users, embedding new products).
 * Cached briefly, so a publish elsewhere is picked up within seconds without a restart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GatRecommender } from '../../graph-models';
import type { ModelVersionRepository, ModelVersionRow, Slot } from '../repositories/model-version.repository';
import { RefreshingValue } from '../shared/refreshing-value';

export interface ActiveModel {
  id: string;
  slot: Slot;
  dim: number;
  /** Epoch ms of the training snapshot (of version creation for older versions): events after it are not in the published embeddings. */
  trainedAt: number;
  artifactDir: string | null;
  /** The length of the version's stored candidate lists, or null when they do not serve. */
  listSize: number | null;
  /** Products embedded after publish: in no stored list, so only Neo4j's merge of them can rank them. */
  newProducts: number;
  /** Width of the text vectors it was trained on (0: none; null or absent: not recorded, older versions). */
  textDim?: number | null;
}

export interface LoadedGat {
  model: GatRecommender;
  itemIndex: Map<string, number>;
  /** The published vector of the item at an index (a view, not a copy). */
  itemVector(index: number): Float32Array;
}

const CACHE_MS = 3000;
/** Past this, a request waits for the read (and fails if Neo4j does) instead of using the old version. */
const MAX_STALE_MS = 30000;

export class ActiveModelService {
  private readonly active = new RefreshingValue(() => this.read(), CACHE_MS, MAX_STALE_MS);
  private readonly servableVersions = new RefreshingValue(() => this.readServable(), CACHE_MS, MAX_STALE_MS);
  private loaded: { id: string; gat: Promise<LoadedGat | null> } | undefined;
  /** Per version, the width of the text vectors it was trained on (see textDim). */
  private readonly textDims = new Map<string, number | null>();
  /** A second GAT, of a version an experiment serves besides the active one, so the two do not evict each other. */
  private other: { id: string; gat: Promise<LoadedGat | null> } | undefined;

  constructor(private readonly versions: ModelVersionRepository) {}

  async current(): Promise<ActiveModel | null> {
    return this.active.get();
  }

  /** A version whose vectors are still in their slot (the active one, or the previous until the next publish), else null. */
  async servable(id: string): Promise<ActiveModel | null> {
    return (await this.servableVersions.get()).get(id) ?? null;
  }

  private async readServable(): Promise<Map<string, ActiveModel>> {
    const rows = await this.versions.servable();
    return new Map(rows.flatMap((row) => {
      const model = toModel(row);
      return model ? [[row.id, row.active ? model : { ...model, listSize: null }] as const] : [];
    }));
  }

  private async read(): Promise<ActiveModel | null> {
    return toModel(await this.versions.active());
  }

  /** The active version's GAT, or null when its artifact is not on this machine. */
  async gat(model: ActiveModel): Promise<LoadedGat | null> {
    if (this.other?.id === model.id) return this.other.gat;
    if (this.loaded && this.loaded.id !== model.id) {
      const current = await this.current();
      // An experiment's other version: kept beside the active one's instead of replacing it.
      if (current?.id === this.loaded.id) return (this.other = { id: model.id, gat: loadGat(model) }).gat;
    }
    if (!this.loaded || this.loaded.id !== model.id) this.loaded = { id: model.id, gat: loadGat(model) };
    return this.loaded.gat;
  }

  /**
   * Width of the text vectors the version was trained on: as recorded on it, else (versions from
   * before it was recorded) from its artifact's metadata; null when neither says.
   */
  textDim(model: ActiveModel): number | null {
    if (model.textDim !== undefined && model.textDim !== null) return model.textDim;
    if (!this.textDims.has(model.id)) {
      const dir = model.artifactDir;
      this.textDims.set(model.id, dir ? artifactTextDim(dir) : null);
    }
    return this.textDims.get(model.id) ?? null;
  }

  invalidate(): void {
    this.active.invalidate();
    this.servableVersions.invalidate();
  }
}

function toModel(row: ModelVersionRow | undefined): ActiveModel | null {
  return row && row.slot
      ? {
          id: row.id,
          slot: row.slot,
          dim: row.dim ?? 0,
          trainedAt: row.snapshotAt ?? Date.parse(row.createdAt),
          artifactDir: row.artifactDir,
          listSize: row.candidateListSize,
          newProducts: row.newProducts,
          textDim: row.textDim ?? null,
        }
      : null;
}

function loadGat(model: ActiveModel): Promise<LoadedGat | null> {
  const dir = model.artifactDir;
  return Promise.resolve().then(() => {
    // A version whose artifact is not on this machine (another host trained it) serves from Neo4j alone.
    if (!dir || !fs.existsSync(path.join(dir, 'metadata.json'))) return null;
    const gat = GatRecommender.load(dir);
    const { itemIds, items, dim } = gat.embeddings();
    return { model: gat, itemIndex: new Map(itemIds.map((id, i) => [id, i])), itemVector: (i: number) => items.subarray(i * dim, (i + 1) * dim) };
  });
}

function artifactTextDim(dir: string): number | null {
  try {
    return fs.existsSync(path.join(dir, 'metadata.json')) ? GatRecommender.textDimOf(dir) : null;
  } catch {
    // An unreadable artifact is reported where the GAT loads; here it only means "not known".
    return null;
  }
}
