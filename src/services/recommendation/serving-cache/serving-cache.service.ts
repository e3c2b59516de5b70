/**
 * What a server holds in memory so that a published user's recommendations need no Neo4j round
 * trip, and a user who acted since training needs only the index search: the catalogue and, per
 * user, the candidate list stored at publish (the vector index's answer for their vector) and the
 * latest events. Neo4j stays the only store and the only vector search; this is a read-through copy
 * any replica can rebuild, and a request it cannot answer exactly goes to Neo4j as before.
 *
 * Kept current by polling Neo4j's change feed (users with newly recorded events, products written;
 * V005's indexes) every `pollMs`, and at once for writes made through this process. A user with
 * new events loses their list and is held, once their latest events are re-read, as a user to fold
 * in; until then Neo4j answers them. So another replica's event reaches this one's answers within
 * one poll; this replica's own events reach them at once, applied to a held user in memory
 * (applyOwnEvents) without the re-read. While polls fail for longer than 8
 * intervals (at least 2 s), it answers nothing, unless they fail because Neo4j is unavailable:
 * then it answers what it holds (degraded mode), and each such answer is marked degraded.
 *
 * A user held for fold-in is then given a list of their own (FoldInLister: one index search for a
 * page of such users, in the background), so their next requests cost no Neo4j round trip either,
 * until they act again. Until it arrives, each request folds them in and searches (one round trip).
 *
 * Writes through this process reach it as ChangeSignals (eventsStored, productsChanged), which it
 * subscribes to while running; the candidate sources memory-list and memory-fold-in read from it.
 */
import type { Slot } from '../../../repositories/model-version.repository';
import type { ProductRow } from '../../../repositories/product.repository';
import type { RecentItemRow } from '../../../repositories/candidate.cypher';
import type { ListReasons } from '../list-reasons';
import type { ServingCacheReads } from './serving-cache-reads';
import type { ActiveModel, ActiveModelService } from '../../active-model.service';
import { CachedUser, toCachedUser, toFoldedUser, toStoredList, withOwnEvents } from './cached-user';
import type { ChangeSignals, WrittenEvents } from '../../change-signals';
import type { FoldInLister } from './fold-in-lists';
import type { ScoredProductRow } from '../../../repositories/candidate.cypher';
import type { AllowedOf } from '../trending-products';
import { compareText } from './catalogue';
import { allowedProduct, InCategories, ListedCandidate, ListFilter, listedCandidates, recentItems } from './listed-candidates';
import { ProductTable } from './product-table';
import { Catalogue } from './catalogue';
import type { CategoryRow } from '../../../repositories/category.repository';
import { LRUCache } from 'lru-cache';
import { entryBytes } from './entry-bytes';
import { isUnavailable } from '../../../db/database';
import { markDegraded } from '../../../shared/degraded-answer';

export interface ServingCacheOptions {
  /** Users held at most; 0 turns the cache off. */
  maxUsers: number;
  /**
   * Memory budget of the users held, in bytes (entry-bytes.ts's estimate, the catalogue apart): a
   * load stops when it is full, and past it the least recently asked-for user makes room for a user
   * asked for who is not held (read in the background; Neo4j answers them meanwhile).
   */
  maxBytes: number;
  pollMs: number;
  /** Latest events kept per user, for reasons (RECENT_ITEMS). */
  recentLimit: number;
  /**
   * Fresh users queued for a fold-in list at most; 0: none get one. Past it (a bulk import) the rest
   * are folded in per request, so a burst of events cannot keep Neo4j busy with searches nobody may ask for.
   */
  maxAwaitingLists: number;
}

export interface ServingCacheStatus {
  /** idle: running, no active version (yet); loading: its lists are being read, users served as they arrive. */
  state: 'off' | 'stopped' | 'idle' | 'loading' | 'ready';
  modelVersion: string | null;
  users: number;
  products: number;
  /** Fresh users whose fold-in list is queued or being searched. */
  awaitingLists: number;
  /** Estimated bytes the users held take, against the budget (maxBytes). */
  bytes: number;
  /** Requests whose user was held / was not held (Neo4j answered), since start. */
  hits: number;
  misses: number;
  /** Users dropped to stay within the budget, since start. */
  evictions: number;
  /** Neo4j is unavailable and the copy is past its freshness bound: answers from it are marked degraded. */
  stale: boolean;
}

/** Writes commit after their datetime() was taken; re-reading this much of the feed catches late commits. */
const OVERLAP_MS = 5000;
const PAGE = 5000;
/** Users per page of lists: each decodes into many short-lived objects, which set the load's peak memory. */
const USER_PAGE = 1000;
/** Users whose latest events are re-read per query after they acted. */
const REFRESH_PAGE = 500;
/** Fresh users searched per fold-in list query. */
const LIST_PAGE = 100;
/** Users not held whom requests asked for, queued to be read at most; more are answered by Neo4j only. */
const MAX_WANTED = 5000;
/** Users read for the queue and found without events (so without a list), remembered: not re-read, answered cold-start from memory. */
const MAX_EVENTLESS = 50000;
/** lru-cache's get takes an options object, defaulting to a new one per call: the hot path passes this one. */
const GET = {};
/** The cache stops answering when polls fail and its last successful poll is older than 8 intervals, or this. */
const MIN_STALENESS_MS = 2000;
/**
 * While polls succeed but run late (a loaded machine, a slow Neo4j), the cache keeps answering up
 * to this: sending every request to Neo4j then only adds to the load that made the poll late.
 */
const SLOW_POLL_STALENESS_MS = 30_000;
/**
 * Failing polls back off up to this: a server with a wrong password polling every 250 ms keeps
 * Neo4j's authentication rate limit tripped, which then refuses the account to every server.
 */
const MAX_BACKOFF_MS = 30000;
/** While Neo4j is unreachable (not refusing us) a poll is cheap to try: answers stop being marked degraded soon after it is back. */
const UNREACHABLE_BACKOFF_MS = 5000;
/** A warning per failing poll at most this often, so an outage does not flood the log. */
const WARN_EVERY_MS = 30000;

export class ServingCache {
  private readonly products = new ProductTable();
  /** The products above with their categories, and the category tree: catalogue reads. */
  private readonly copy = new Catalogue(this.products);
  private catalogueLoaded = false;
  private users: LRUCache<string, CachedUser>;
  /** Users asked for while not held: read in the background, then held. */
  private readonly wanted = new Set<string>();
  private readonly eventless = new LRUCache<string, true>({ max: MAX_EVENTLESS });
  private fetching: Promise<void> | null = null;
  /** The load stopped at the budget: users not held may have lists, read them when asked for. */
  private full = false;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  /**
   * Users with events newer than what `users` holds of them, each with a token: their latest events
   * are being re-read (Neo4j answers them meanwhile), and a read applies only if no newer note came.
   */
  private readonly pending = new Map<string, number>();
  private tokens = 0;
  private refreshing: Promise<void> | null = null;
  /** Fresh users, as held when queued, waiting for their fold-in list; a user replaced since is skipped. */
  private readonly awaiting = new Map<string, CachedUser>();
  private listing: { users: number; done: Promise<void> } | null = null;
  /** When events were last recorded for users the feed reported, so its overlap does not re-read them. */
  private readonly recordedAt = new Map<string, number>();
  /** The version (and slot) whose lists `users` holds or is loading; its training time decides who is fresh. */
  private version: { id: string; slot: Slot; trainedAt: number } | null = null;
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
  /** The last poll failed because Neo4j is unavailable (not, say, a bad query): degraded answers allowed. */
  private unreachable = false;
  private log: (message: string) => void = () => undefined;
  private readonly onEvents = (userIds: string[], written?: WrittenEvents): void => {
    const applied = written ? this.applyOwnEvents(written) : null;
    this.noteEvents(applied ? userIds.filter((id) => !applied.has(id)) : userIds);
  };
  private readonly onProducts = (rows: ProductRow[]): void => this.noteProducts(rows);
  private readonly onCategories = (rows: CategoryRow[]): void => this.noteCategories(rows);

  constructor(
    private readonly repo: ServingCacheReads,
    private readonly active: ActiveModelService,
    private readonly options: ServingCacheOptions,
    /** Writes made through this process; the polls see other processes' writes. */
    private readonly signals: ChangeSignals | null = null,
    /** Searches fresh users' lists; without it they are folded in per request. */
    private readonly lister: FoldInLister | null = null,
    /** The recent item behind each list entry, computed as lists are stored; without it requests compute reasons. */
    private readonly listReasons: ListReasons | null = null,
  ) {
    this.users = this.newUsers();
  }

  start(log: (message: string) => void = () => undefined): void {
    if (this.options.maxUsers === 0 || this.running) return;
    this.log = log;
    this.running = true;
    this.signals?.on('eventsStored', this.onEvents);
    this.signals?.on('productsChanged', this.onProducts);
    this.signals?.on('categoriesChanged', this.onCategories);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.signals?.off('eventsStored', this.onEvents);
    this.signals?.off('productsChanged', this.onProducts);
    this.signals?.off('categoriesChanged', this.onCategories);
    this.running = false;
    clearTimeout(this.timer);
    await this.ticking;
    this.forgetUsers(null);
    await this.loading?.catch(() => undefined);
    await this.refreshing;
    await this.fetching;
    await this.listing?.done;
  }

  status(): ServingCacheStatus {
    const state = this.options.maxUsers === 0 ? 'off' : !this.running ? 'stopped' : this.version === null ? 'idle' : this.loaded ? 'ready' : 'loading';
    return {
      state,
      modelVersion: this.version?.id ?? null,
      users: this.users.size,
      products: this.products.size,
      awaitingLists: this.awaiting.size + (this.listing?.users ?? 0),
      bytes: this.users.calculatedSize,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      stale: this.running && !this.current() && this.unreachable,
    };
  }

  /**
   * Candidates and latest events of a user with a list, published or (`folded`) their fold-in's, or
   * null when Neo4j must answer: the user is not held (or acted since and has no list yet), the
   * lists do not serve, products embedded after publish must be merged in, or filters left a full
   * list short.
   */
  listed(
    model: ActiveModel,
    userId: string,
    filter: ListFilter,
    limit: number,
  ): { candidates: ListedCandidate[]; recent: RecentItemRow[]; folded: boolean } | null {
    if (model.listSize === null || model.newProducts > 0 || !this.holds(model)) return null;
    const user = this.users.get(userId, GET);
    if (user === undefined) {
      this.misses += 1;
      this.want(userId);
      return null;
    }
    if (!this.usable()) return null;
    this.hits += 1;
    if (!user.list) return null;
    const inCategories = this.categoryTest(filter);
    if (inCategories === undefined) return null;
    const candidates = listedCandidates(user.list, this.products, filter, limit, inCategories);
    return candidates && { candidates, recent: recentItems(user, this.products), folded: user.fresh };
  }

  /** A test of the filter's categories against the cached tree; null without one, undefined when the tree is not read yet. */
  private categoryTest(filter: ListFilter): InCategories | null | undefined {
    if (filter.categoryIds === null) return null;
    if (!this.catalogueLoaded) return undefined;
    const allowed = new Set(filter.categoryIds);
    return (productId) => this.copy.inCategories(productId, allowed);
  }

  /** Whether `userId` was read and found without events (and so without a list): a cold-start page needs no Neo4j. */
  withoutEvents(model: ActiveModel, userId: string): boolean {
    return this.holds(model) && this.eventless.has(userId) && this.usable();
  }

  /**
   * The rows (in their order) whose products the cached catalogue says pass the filter, at most
   * `limit`, as recommendation.allowedOf answers for a user without events; null before the
   * catalogue is read or while the copy is not current.
   */
  allowedOf(filter: ListFilter): AllowedOf | null {
    const inCategories = this.categoryTest(filter);
    if (inCategories === undefined || !this.catalogueLoaded || !this.usable()) return null;
    return (rows, limit) => {
      const kept: ScoredProductRow[] = [];
      for (const row of rows) {
        const product = this.products.rowOf(row.id);
        if (product && allowedProduct(product, filter, inCategories)) kept.push(row);
      }
      // As the statement orders them: score, then id.
      return kept.sort((a, b) => b.score - a.score || compareText(a.id, b.id)).slice(0, limit);
    };
  }

  /**
   * The latest events of a user who acted since `model` was trained, newest first: the input of
   * their fold-in. Null when Neo4j must read them (not held, or newer events are being re-read).
   */
  foldInEvents(model: ActiveModel, userId: string): RecentItemRow[] | null {
    const user = this.user(model, userId);
    return user?.fresh ? recentItems(user, this.products) : null;
  }

  /** A product as last read from Neo4j, or null when it has not been read. */
  product(id: string): ProductRow | null {
    return this.products.rowOf(id);
  }

  /**
   * The whole catalogue, once read and while polls keep it current (as for users: a write through
   * another server reaches it within a poll); null when Neo4j must answer.
   */
  catalogue(): Catalogue | null {
    return this.catalogueLoaded && this.usable() ? this.copy : null;
  }

  /** Events this process stored: their users are answered by Neo4j until their latest events are re-read. */
  /**
   * Events this process stored, applied to the users held without re-reading them from Neo4j: each
   * becomes a user to fold in (their list searched in the background) at once, and the change feed's
   * report of the stamp the write gave them is not news. Returns the users applied; the others are
   * re-read as any user with new events.
   */
  private applyOwnEvents(written: WrittenEvents): Set<string> {
    const applied = new Set<string>();
    const { version, users } = this;
    if (version === null) return applied;
    const byUser = new Map<string, WrittenEvents['events']>();
    for (const e of written.events) {
      const events = byUser.get(e.userId);
      if (events) events.push(e);
      else byUser.set(e.userId, [e]);
    }
    for (const [id, events] of byUser) {
      const held = users.peek(id);
      // Pending: a re-read is under way or due, and it will see these events too.
      if (!held || this.pending.has(id)) continue;
      // Only backdated events: whether the published vector still serves is Neo4j's path's call.
      if (!held.fresh && !events.some((e) => e.at >= version.trainedAt)) continue;
      const user = withOwnEvents(held, events, this.products, this.options.recentLimit);
      if (!user) continue;
      this.awaiting.delete(id);
      this.hold(users, id, user);
      this.awaitList(id, user);
      this.recordedAt.set(id, written.recordedAt);
      applied.add(id);
    }
    if (applied.size > 0) this.listSoon();
    return applied;
  }

  noteEvents(userIds: Iterable<string>): void {
    // Without a version nothing is held, and a load reads everyone as they are: a process that
    // never serves (the CLI, a bench) would otherwise collect every user it stored events for.
    if (this.version === null) return;
    for (const id of userIds) {
      this.users.delete(id);
      this.awaiting.delete(id);
      this.eventless.delete(id);
      this.pending.set(id, ++this.tokens);
    }
    this.refreshSoon();
  }

  /** Products this process wrote, as stored (with their category ids when the writer knows them). */
  noteProducts(rows: (ProductRow & { categoryIds?: string[] })[]): void {
    for (const row of rows) this.copy.setProduct(row);
  }

  /** Categories written, as stored. */
  noteCategories(rows: CategoryRow[]): void {
    for (const row of rows) this.copy.setCategory(row);
  }

  /** A held user of `model`, while polls keep the copy current. */
  private user(model: ActiveModel, userId: string): CachedUser | null {
    if (!this.holds(model)) return null;
    const user = this.users.get(userId, GET);
    return user && this.usable() ? user : null;
  }

  /**
   * An LRU within the byte budget; entries are sized once when stored (hold). Without `max`, which
   * would preallocate its index arrays for that many users: hold keeps the count bound.
   */
  private newUsers(): LRUCache<string, CachedUser> {
    return new LRUCache<string, CachedUser>({
      maxSize: Math.max(1, this.options.maxBytes),
      dispose: (_user, _id, reason) => {
        if (reason === 'evict') this.evictions += 1;
      },
    });
  }

  /** Stores (or re-sizes, after its list changed) a user; the least recently asked-for make room. */
  private hold(users: LRUCache<string, CachedUser>, id: string, user: CachedUser): void {
    if (users.size >= this.options.maxUsers && !users.has(id)) users.pop();
    users.set(id, user, { size: entryBytes(id, user) });
  }

  /** Whether `user` fits without evicting anyone: a load fills the budget, it does not churn it. */
  private fits(users: LRUCache<string, CachedUser>, id: string, user: CachedUser): boolean {
    return users.size < this.options.maxUsers && users.calculatedSize + entryBytes(id, user) <= this.options.maxBytes;
  }

  /**
   * Queues a user not held for a read once the load is done: one the budget left out, or one without
   * a list (new to the model: events but no published vector), who is then held as a fold-in user.
   */
  private want(userId: string): void {
    if (!this.loaded || this.wanted.size >= MAX_WANTED) return;
    if (this.pending.has(userId) || this.eventless.has(userId)) return;
    this.wanted.add(userId);
    this.fetchSoon();
  }

  /** Reads queued users' lists unless a read runs; a failure leaves them to Neo4j (they are queued again when asked for). */
  private fetchSoon(): void {
    if (this.fetching || this.wanted.size === 0 || this.version === null || !this.running) return;
    this.fetching = this.fetchWanted()
      .catch((error: unknown) => this.warn(`serving cache: reading users' lists failed (Neo4j answers them meanwhile): ${String(error)}`))
      .then(() => {
        this.fetching = null;
        this.fetchSoon();
      });
  }

  private async fetchWanted(): Promise<void> {
    const { users, version } = this;
    if (!version) return;
    // Left queued while read, so requests meanwhile do not queue them again.
    const batch: string[] = [];
    for (const id of this.wanted) if (batch.push(id) >= REFRESH_PAGE) break;
    try {
      const model = await this.active.current();
      if (!model || !this.holds(model)) return;
      const rows = await this.repo.listedUsersById(model.slot, { ids: batch, since: model.trainedAt, recentLimit: this.options.recentLimit });
      if (this.users !== users) return;
      const explain = (await this.listReasons?.forModel(model)) ?? null;
      const read = new Set<string>();
      for (const row of rows) {
        read.add(row.id);
        // Noted as acting while this read ran (its copy would be older), or held meanwhile.
        if (this.pending.has(row.id) || users.has(row.id)) continue;
        const user = toCachedUser(row, this.products, explain);
        this.hold(users, row.id, user);
        if (user.fresh) this.awaitList(row.id, user);
      }
      await this.holdNewToModel(
        batch.filter((id) => !read.has(id)),
        model,
      );
    } finally {
      for (const id of batch) this.wanted.delete(id);
    }
    this.listSoon();
  }

  /**
   * Users without a list in the version: those with events are new to the model and held as fold-in
   * users (their list is searched as for users who acted since training), as Neo4j's path folds
   * them in per request; those without are remembered, so requests do not queue them again.
   */
  private async holdNewToModel(ids: string[], model: ActiveModel): Promise<void> {
    const { users } = this;
    const rows = ids.length === 0 ? [] : await this.repo.latestEvents(ids, { since: model.trainedAt, recentLimit: this.options.recentLimit });
    if (this.users !== users) return;
    const read = new Map(rows.map((row) => [row.id, row]));
    for (const id of ids) {
      const row = read.get(id);
      if (!row || row.recent.length === 0) {
        this.eventless.set(id, true);
        continue;
      }
      // Noted as acting while this read ran, or held meanwhile: that copy wins.
      if (this.pending.has(id) || users.has(id)) continue;
      if (row.recordedAt != null) this.recordedAt.set(id, row.recordedAt);
      const user = toFoldedUser(row.recent, this.products);
      this.hold(users, id, user);
      this.awaitList(id, user);
    }
  }

  /** Current, or past it only because Neo4j is unavailable: then the answer is marked degraded. */
  private usable(): boolean {
    if (this.current()) return true;
    if (!this.unreachable || !this.running) return false;
    markDegraded();
    return true;
  }

  /** Without a recent poll, changes made through other servers may be missing: Neo4j answers. */
  private current(): boolean {
    const age = Date.now() - this.polledAt;
    return age <= Math.max(8 * this.options.pollMs, MIN_STALENESS_MS) || (this.failures === 0 && age <= SLOW_POLL_STALENESS_MS);
  }

  /** Starts re-reading pending users' latest events unless a read runs; failures leave them for the next tick. */
  private refreshSoon(): void {
    if (this.refreshing || this.pending.size === 0 || this.version === null) return;
    this.refreshing = this.refreshPending()
      .then(() => true)
      .catch((error: unknown) => {
        this.warn(`serving cache: reading latest events failed (Neo4j answers those users meanwhile): ${String(error)}`);
        return false;
      })
      .then((succeeded) => {
        this.refreshing = null;
        if (succeeded && this.running) this.refreshSoon();
      });
  }

  private async refreshPending(): Promise<void> {
    const { users, version } = this;
    if (!version) return;
    // The first page only: a bulk import can leave this many users pending.
    const batch: [string, number][] = [];
    for (const entry of this.pending) {
      if (batch.push(entry) >= REFRESH_PAGE) break;
    }
    const rows = await this.repo.latestEvents(
      batch.map(([id]) => id),
      { since: version.trainedAt, recentLimit: this.options.recentLimit },
    );
    if (this.users !== users) return;
    const read = new Map(rows.map((row) => [row.id, row]));
    for (const [id, token] of batch) {
      // Noted again while this read ran: the next read takes the newer events.
      if (this.pending.get(id) !== token) continue;
      this.pending.delete(id);
      const row = read.get(id);
      // The feed will report this stamp again; these events are already read.
      if (row?.recordedAt != null) this.recordedAt.set(id, row.recordedAt);
      // Unknown here, or only backdated events (the published vector still serves): Neo4j answers.
      if (!row || row.freshEvents === 0) continue;
      const user = toFoldedUser(row.recent, this.products);
      this.hold(users, id, user);
      this.awaitList(id, user);
    }
    this.listSoon();
  }

  private awaitList(id: string, user: CachedUser): void {
    if (this.lister && this.awaiting.size < this.options.maxAwaitingLists) this.awaiting.set(id, user);
  }

  /** Starts searching queued fresh users' lists unless a search runs; a failed page is left to per-request fold-in. */
  private listSoon(): void {
    if (this.listing || this.awaiting.size === 0 || !this.lister || !this.running) return;
    const batch: [string, CachedUser][] = [];
    for (const entry of this.awaiting) {
      this.awaiting.delete(entry[0]);
      if (this.users.peek(entry[0]) === entry[1] && batch.push(entry) >= LIST_PAGE) break;
    }
    const done = this.listBatch(batch)
      .catch((error: unknown) => this.warn(`serving cache: searching fold-in lists failed (those users are folded in per request): ${String(error)}`))
      .then(() => {
        this.listing = null;
        this.listSoon();
      });
    this.listing = { users: batch.length, done };
  }

  private async listBatch(batch: [string, CachedUser][]): Promise<void> {
    const model = await this.active.current();
    if (!this.lister || batch.length === 0 || !model || !this.holds(model) || model.newProducts > 0) return;
    const lists = await this.lister.lists(
      model,
      batch.map(([id, user]) => ({ id, recent: recentItems(user, this.products) })),
    );
    const explain = (await this.listReasons?.forModel(model)) ?? null;
    for (const [id, user] of batch) {
      const list = lists.get(id);
      // Acted again, or another version loaded, while the search ran: this list is of older events.
      if (!list || this.users.peek(id) !== user) continue;
      // A product this cache has not read: the list could not be filtered, so requests search instead.
      if (list.ids.some((productId) => this.products.rowOf(productId) === null)) continue;
      user.list = toStoredList(list, this.products, explain, user);
      this.hold(this.users, id, user);
    }
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        const cap = this.unreachable ? UNREACHABLE_BACKOFF_MS : MAX_BACKOFF_MS;
        this.schedule(this.failures === 0 ? this.options.pollMs : Math.min(this.options.pollMs * 2 ** this.failures, cap));
      });
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.poll();
      this.failures = 0;
      this.unreachable = false;
      if (!this.catalogueLoaded) await this.loadCatalogue();
      const model = await this.active.current();
      if (!model) {
        this.forgetUsers(null);
      } else if (!this.holds(model)) {
        const users = this.forgetUsers({ id: model.id, slot: model.slot, trainedAt: model.trainedAt });
        this.loading = this.load(model, users).catch((error: unknown) => {
          // Left unloaded: requests go to Neo4j, and the next tick tries again.
          if (this.users === users) this.version = null;
          this.warn(`serving cache: loading ${model.id} failed: ${String(error)}`);
        });
      }
    } catch (error) {
      this.failures += 1;
      this.unreachable = isUnavailable(error);
      this.warn(`serving cache: polling Neo4j failed (answers come from Neo4j meanwhile): ${String(error)}`);
    }
  }

  private async poll(): Promise<void> {
    // The first poll only reads Neo4j's clock: nothing is cached yet, so there is nothing to update.
    const since = this.watermark === null ? Date.now() + 86_400_000 : this.watermark - OVERLAP_MS;
    const changes = await this.repo.changesSince(since);
    // The overlap reports a user again until their stamp is older than it; only a new stamp is news.
    const changed: string[] = [];
    for (const [id, at] of changes.users) {
      if (this.recordedAt.get(id) === at) continue;
      this.recordedAt.set(id, at);
      changed.push(id);
    }
    for (const [id, at] of this.recordedAt) if (at <= since) this.recordedAt.delete(id);
    this.noteEvents(changed);
    this.noteProducts(changes.products);
    this.noteCategories(changes.categories);
    this.watermark = changes.now;
    this.polledAt = Date.now();
  }

  private holds(model: ActiveModel): boolean {
    return this.version?.id === model.id && this.version.slot === model.slot;
  }

  /** Drops the users held and starts an empty map for `version` (null: none), which a load fills. */
  private forgetUsers(version: { id: string; slot: Slot; trainedAt: number } | null): LRUCache<string, CachedUser> {
    this.version = version;
    this.users = this.newUsers();
    this.pending.clear();
    this.awaiting.clear();
    this.wanted.clear();
    this.eventless.clear();
    this.loaded = false;
    this.full = false;
    return this.users;
  }

  /**
   * Reads the catalogue once, after a poll set the feed's watermark: what is written while it is read
   * comes again with the next poll (its overlap), so the copy misses nothing.
   */
  private async loadCatalogue(): Promise<void> {
    this.noteCategories(await this.repo.categories());
    for (let after = ''; ; ) {
      const rows = await this.repo.products(after, PAGE);
      this.noteProducts(rows);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    this.catalogueLoaded = true;
  }

  /** Reads the version's lists in pages; users become servable as their page arrives. */
  private async load(model: ActiveModel, users: LRUCache<string, CachedUser>): Promise<void> {
    const started = Date.now();
    const explain = (await this.listReasons?.forModel(model)) ?? null;
    for (let after = ''; !this.full; ) {
      const limit = Math.min(USER_PAGE, this.options.maxUsers - users.size);
      const rows = await this.repo.listedUsers(model.slot, { after, limit, since: model.trainedAt, recentLimit: this.options.recentLimit });
      // Another version, or a stop, replaced the map: this load is no longer wanted.
      if (this.users !== users) return;
      // A user already held was re-read after acting, later than this page: that copy is newer.
      for (const row of rows) {
        if (this.pending.has(row.id) || users.has(row.id)) continue;
        const user = toCachedUser(row, this.products, explain);
        if (!this.fits(users, row.id, user)) {
          this.full = true;
          break;
        }
        this.hold(users, row.id, user);
        if (user.fresh) this.awaitList(row.id, user);
      }
      this.listSoon();
      if (users.size >= this.options.maxUsers) this.full = true;
      if (rows.length < limit) break;
      after = rows[rows.length - 1].id;
    }
    this.loaded = true;
    const budget = this.full ? `, budget full at ${(users.calculatedSize / 2 ** 20).toFixed(0)} MiB: others are read when asked for` : '';
    this.log(`serving cache: ${users.size} users' lists and ${this.products.size} products of ${model.id} in memory (${((Date.now() - started) / 1000).toFixed(1)} s${budget})`);
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.log(message);
  }
}
