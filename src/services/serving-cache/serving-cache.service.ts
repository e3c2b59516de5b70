/**
 * What a server holds in memory so that a published user's recommendations need no Neo4j round
 * trip: the catalogue and each published user's candidate list (stored in Neo4j at publish, the
 * vector index's answer for their vector) with their latest events. Neo4j stays the only store and
 * the only vector search; this is a read-through copy any replica can rebuild, and a request it
 * cannot answer exactly goes to Neo4j as before.
 *
 * Kept current by polling Neo4j's change feed (users with newly recorded events, products written;
 * V005's indexes) every `pollMs`, and at once for writes made through this process. A user with
 * new events leaves the cache for good: Neo4j folds them in. So another replica's event reaches
 * this one's answers within one poll; this replica's own events reach them at once. While polls
 * fail for longer than 8 intervals (at least 2 s), it answers nothing.
 */
import type { Slot } from '../../repositories/model-version.repository';
import type { ProductRow } from '../../repositories/product.repository';
import type { CandidateRow, RecentItemRow } from '../../repositories/recommendation.repository';
import type { ServingCacheRepository } from '../../repositories/serving-cache.repository';
import type { ActiveModel, ActiveModelService } from '../active-model.service';
import { CachedUser, toCachedUser } from './cached-user';
import { ListFilter, listedCandidates, recentItems } from './listed-candidates';
import { ProductTable } from './product-table';

export interface ServingCacheOptions {
  /** Users held at most (by id order); 0 turns the cache off. */
  maxUsers: number;
  pollMs: number;
  /** Latest events kept per user, for reasons (RECENT_ITEMS). */
  recentLimit: number;
}

export interface ServingCacheStatus {
  /** idle: running, no active version (yet); loading: its lists are being read, users served as they arrive. */
  state: 'off' | 'stopped' | 'idle' | 'loading' | 'ready';
  modelVersion: string | null;
  users: number;
  products: number;
}

/** Writes commit after their datetime() was taken; re-reading this much of the feed catches late commits. */
const OVERLAP_MS = 5000;
const PAGE = 5000;
/** Users per page of lists: each decodes into many short-lived objects, which set the load's peak memory. */
const USER_PAGE = 1000;
/** The cache stops answering when its last successful poll is older than 8 intervals, or this. */
const MIN_STALENESS_MS = 2000;
/**
 * Failing polls back off up to this: a server with a wrong password polling every 250 ms keeps
 * Neo4j's authentication rate limit tripped, which then refuses the account to every server.
 */
const MAX_BACKOFF_MS = 30000;
/** A warning per failing poll at most this often, so an outage does not flood the log. */
const WARN_EVERY_MS = 30000;

export class ServingCache {
  private readonly products = new ProductTable();
  private catalogueLoaded = false;
  private users = new Map<string, CachedUser>();
  /** Users with events recorded since the version's lists were read: Neo4j serves them until the next version. */
  private readonly stale = new Set<string>();
  /** The version (and slot) whose lists `users` holds or is loading. */
  private version: { id: string; slot: Slot } | null = null;
  private loaded = false;
  private loading: Promise<void> | null = null;
  /** Neo4j's clock at the last poll; null before the first. */
  private watermark: number | null = null;
  /** This process's clock at the last successful poll: answers stop when polls stop succeeding. */
  private polledAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private running = false;
  private lastWarning = 0;
  /** Polls failed in a row: the next one waits longer (see schedule). */
  private failures = 0;
  private log: (message: string) => void = () => undefined;

  constructor(
    private readonly repo: ServingCacheRepository,
    private readonly active: ActiveModelService,
    private readonly options: ServingCacheOptions,
  ) {}

  start(log: (message: string) => void = () => undefined): void {
    if (this.options.maxUsers === 0 || this.running) return;
    this.log = log;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.ticking;
    this.forgetUsers(null);
    await this.loading?.catch(() => undefined);
  }

  status(): ServingCacheStatus {
    const state = this.options.maxUsers === 0 ? 'off' : !this.running ? 'stopped' : this.version === null ? 'idle' : this.loaded ? 'ready' : 'loading';
    return { state, modelVersion: this.version?.id ?? null, users: this.users.size, products: this.products.size };
  }

  /**
   * Candidates and latest events of a published user, or null when Neo4j must answer: the user is
   * not held (or acted since), the lists do not serve, products embedded after publish must be
   * merged in, or filters left a full list short.
   */
  listed(model: ActiveModel, userId: string, filter: ListFilter, limit: number): { candidates: CandidateRow[]; recent: RecentItemRow[] } | null {
    if (!this.holds(model) || model.listSize === null || model.newProducts > 0) return null;
    // Without a recent poll, changes made through other servers may be missing: Neo4j answers.
    if (Date.now() - this.polledAt > Math.max(8 * this.options.pollMs, MIN_STALENESS_MS)) return null;
    const user = this.users.get(userId);
    if (!user) return null;
    const candidates = listedCandidates(user, this.products, filter, limit, model.listSize);
    return candidates && { candidates, recent: recentItems(user, this.products) };
  }

  /** Events this process stored: their users are answered by Neo4j from the next request on. */
  noteEvents(userIds: Iterable<string>): void {
    for (const id of userIds) {
      this.stale.add(id);
      this.users.delete(id);
    }
  }

  /** Products this process wrote, as stored. */
  noteProducts(rows: ProductRow[]): void {
    for (const row of rows) this.products.set(row);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.schedule(this.failures === 0 ? this.options.pollMs : Math.min(this.options.pollMs * 2 ** this.failures, MAX_BACKOFF_MS));
      });
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.poll();
      this.failures = 0;
      const model = await this.active.current();
      if (!model) {
        this.forgetUsers(null);
      } else if (!this.holds(model)) {
        const users = this.forgetUsers({ id: model.id, slot: model.slot });
        this.loading = this.load(model, users).catch((error: unknown) => {
          // Left unloaded: requests go to Neo4j, and the next tick tries again.
          if (this.users === users) this.version = null;
          this.warn(`serving cache: loading ${model.id} failed: ${String(error)}`);
        });
      }
    } catch (error) {
      this.failures += 1;
      this.warn(`serving cache: polling Neo4j failed (answers come from Neo4j meanwhile): ${String(error)}`);
    }
  }

  private async poll(): Promise<void> {
    // The first poll only reads Neo4j's clock: nothing is cached yet, so there is nothing to update.
    const since = this.watermark === null ? Date.now() + 86_400_000 : this.watermark - OVERLAP_MS;
    const changes = await this.repo.changesSince(since);
    this.noteEvents(changes.userIds);
    this.noteProducts(changes.products);
    this.watermark = changes.now;
    this.polledAt = Date.now();
  }

  private holds(model: ActiveModel): boolean {
    return this.version?.id === model.id && this.version.slot === model.slot;
  }

  /** Drops the users held and starts an empty map for `version` (null: none), which a load fills. */
  private forgetUsers(version: { id: string; slot: Slot } | null): Map<string, CachedUser> {
    this.version = version;
    this.users = new Map();
    this.stale.clear();
    this.loaded = false;
    return this.users;
  }

  /** Reads the catalogue (once) and the version's lists in pages; users become servable as their page arrives. */
  private async load(model: ActiveModel, users: Map<string, CachedUser>): Promise<void> {
    const started = Date.now();
    if (!this.catalogueLoaded) {
      for (let after = ''; ; ) {
        const rows = await this.repo.products(after, PAGE);
        this.noteProducts(rows);
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1].id;
      }
      this.catalogueLoaded = true;
    }
    for (let after = ''; users.size < this.options.maxUsers; ) {
      const limit = Math.min(USER_PAGE, this.options.maxUsers - users.size);
      const rows = await this.repo.listedUsers(model.slot, { after, limit, since: model.trainedAt, recentLimit: this.options.recentLimit });
      // Another version, or a stop, replaced the map: this load is no longer wanted.
      if (this.users !== users) return;
      for (const row of rows) {
        if (row.freshEvents === 0 && !this.stale.has(row.id)) users.set(row.id, toCachedUser(row, this.products));
      }
      if (rows.length < limit) break;
      after = rows[rows.length - 1].id;
    }
    this.loaded = true;
    this.log(`serving cache: ${users.size} users' lists and ${this.products.size} products of ${model.id} in memory (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.log(message);
  }
}
