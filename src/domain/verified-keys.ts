/** How often the keys this process trusts are re-read from the database (ms). @default 2000 */
export const KEY_RECHECK_MS = 2_000;
/**
 * Longest a key is trusted since the database last said it is not revoked (ms): a key revoked
 * through any process is refused here within this, even if re-checks stall. @default 5000
 */
export const REVOCATION_WINDOW_MS = 5_000;
/** A cached key unused for this long is forgotten (ms). @default 600_000 */
export const KEY_IDLE_MS = 600_000;
/** lastUsedAt is written at most this often per key, so auth does not write on every request (ms). @default 60_000 */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Something holding keys open beyond a request (graphql-ws sockets): told when one is revoked. */
export interface KeyHolder {
  /** Ids of the keys it holds now. */
  keyIds(): Iterable<string>;
  /** These keys were found revoked (or deleted). */
  revoked(ids: ReadonlySet<string>): void;
  /** A re-check could not reach the database. */
  failed?(err: unknown): void;
}

/** What the cache needs from the key store: one query each, for any number of keys. */
export interface KeyStore {
  /** Of these key ids, the ones that exist and are not revoked. */
  activeIds(ids: readonly string[]): Promise<Set<string>>;
  /** Stamps lastUsedAt on these keys. */
  touch(ids: readonly string[], at: Date): Promise<void>;
}

interface Entry<P> {
  keyId: string;
  principal: P;
  usedAt: number;
  lastUsedWrittenAt: number;
}

/**
 * The keys this process has verified, by SHA-256 of the token, so a request costs a hash and a map
 * lookup instead of two queries. One timer keeps them honest: every KEY_RECHECK_MS it asks the
 * database which of the cached and held keys are still active (one query), drops the others and
 * tells the holders (open sockets close), and writes lastUsedAt in one statement for keys used since
 * their last stamp. A key is trusted only within REVOCATION_WINDOW_MS of its last confirmation.
 */
export class VerifiedKeys<P> {
  private readonly byHash = new Map<string, Entry<P>>();
  /** When the database last said each key is active (Date.now() ms, taken before the query). */
  private readonly confirmed = new Map<string, number>();
  /** When each key was revoked in this process, so a verification that read it before cannot cache it after. */
  private readonly forgottenAt = new Map<string, number>();
  private readonly holders = new Set<KeyHolder>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private closed = false;

  constructor(private readonly store: KeyStore) {}

  /** The cached principal for this token hash, when its key was confirmed within the window. */
  get(hash: string, now = Date.now()): P | undefined {
    const e = this.byHash.get(hash);
    if (!e || !this.isFresh(e.keyId, now)) return undefined;
    e.usedAt = now;
    return e.principal;
  }

  /** Caches a principal the database just verified (at `checkedAt`, taken before the query). */
  put(hash: string, keyId: string, principal: P, checkedAt: number, lastUsedWrittenAt: number): void {
    if ((this.forgottenAt.get(keyId) ?? -Infinity) >= checkedAt) return;
    this.byHash.set(hash, { keyId, principal, usedAt: checkedAt, lastUsedWrittenAt });
    this.confirm(keyId, checkedAt);
    this.schedule();
  }

  /** True when the key is active: from the last confirmation within the window, else from the database. */
  async isActive(keyId: string, now = Date.now()): Promise<boolean> {
    if (this.isFresh(keyId, now)) return true;
    const active = (await this.store.activeIds([keyId])).has(keyId);
    if (active) this.confirm(keyId, now);
    else this.forget(new Set([keyId]));
    return active;
  }

  /** Watches the keys a holder holds; returns the unwatch function. */
  watch(holder: KeyHolder): () => void {
    this.holders.add(holder);
    this.schedule();
    return () => this.holders.delete(holder);
  }

  /** Drops these keys at once (revoked in this process) and tells the holders. */
  forget(ids: ReadonlySet<string>): void {
    if (!ids.size) return;
    const now = Date.now();
    for (const [hash, e] of this.byHash) if (ids.has(e.keyId)) this.byHash.delete(hash);
    for (const id of ids) {
      this.confirmed.delete(id);
      this.forgottenAt.set(id, now);
    }
    for (const h of this.holders) h.revoked(ids);
  }

  /** Stops the timer and waits for a re-check under way (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.holders.clear();
    await this.running;
  }

  private isFresh(keyId: string, now: number): boolean {
    const at = this.confirmed.get(keyId);
    return at !== undefined && now - at < REVOCATION_WINDOW_MS;
  }

  private confirm(keyId: string, at: number) {
    if ((this.confirmed.get(keyId) ?? -Infinity) < at) this.confirmed.set(keyId, at);
  }

  private schedule() {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => {
      this.running ??= this.recheck().finally(() => (this.running = undefined));
    }, KEY_RECHECK_MS);
    this.timer.unref();
  }

  private async recheck(now = Date.now()): Promise<void> {
    // Past the window a verification that started before a revocation is stale anyway (see get).
    for (const [id, at] of this.forgottenAt) if (now - at > REVOCATION_WINDOW_MS) this.forgottenAt.delete(id);
    for (const [hash, e] of this.byHash) if (now - e.usedAt > KEY_IDLE_MS) this.byHash.delete(hash);
    const ids = new Set([...this.byHash.values()].map((e) => e.keyId));
    for (const h of this.holders) for (const id of h.keyIds()) ids.add(id);
    for (const id of this.confirmed.keys()) if (!ids.has(id)) this.confirmed.delete(id);
    if (!ids.size) {
      if (!this.holders.size) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      return;
    }
    let active: Set<string>;
    try {
      active = await this.store.activeIds([...ids]);
      const stale = [...this.byHash.values()].filter((e) => active.has(e.keyId) && e.usedAt - e.lastUsedWrittenAt >= LAST_USED_RESOLUTION_MS);
      if (stale.length) {
        await this.store.touch([...new Set(stale.map((e) => e.keyId))], new Date(now));
        for (const e of stale) e.lastUsedWrittenAt = now;
      }
    } catch (err) {
      for (const h of this.holders) h.failed?.(err);
      return;
    }
    // Only keys still known: one forgotten meanwhile (revoked in this process) stays forgotten.
    for (const id of ids) if (active.has(id) && this.confirmed.has(id)) this.confirm(id, now);
    this.forget(new Set([...ids].filter((id) => !active.has(id))));
  }
}
