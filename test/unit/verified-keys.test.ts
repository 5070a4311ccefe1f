import { KEY_RECHECK_MS, KeyStore, LAST_USED_RESOLUTION_MS, REVOCATION_WINDOW_MS, VerifiedKeys } from '../../src/domain/verified-keys';

/** An in-memory key table standing in for api_keys: which ids are active, and every query it answered. */
function memoryStore(active: string[]) {
  const state = { active: new Set(active), queries: 0, touched: [] as string[][] };
  const store: KeyStore = {
    activeIds: async (ids) => {
      state.queries++;
      return new Set(ids.filter((id) => state.active.has(id)));
    },
    touch: async (ids) => {
      state.touched.push([...ids]);
    },
  };
  return { state, store };
}

describe('VerifiedKeys', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('serves a verified key from memory, and drops it within the window once the store says it is revoked', async () => {
    const { state, store } = memoryStore(['k1']);
    const keys = new VerifiedKeys<string>(store);
    keys.put('hash1', 'k1', 'principal-1', Date.now(), Date.now());
    expect(keys.get('hash1')).toBe('principal-1');
    expect(state.queries).toBe(0);
    const told: string[] = [];
    keys.watch({ keyIds: () => ['k1'], revoked: (ids) => told.push(...ids) });
    state.active.delete('k1');
    await jest.advanceTimersByTimeAsync(KEY_RECHECK_MS);
    expect(told).toEqual(['k1']);
    expect(keys.get('hash1')).toBeUndefined();
    expect(await keys.isActive('k1')).toBe(false);
    await keys.close();
  });

  it('never trusts a key longer than the window when re-checks cannot reach the store', async () => {
    const { store } = memoryStore(['k1']);
    const failing: KeyStore = { ...store, activeIds: () => Promise.reject(new Error('database down')) };
    const keys = new VerifiedKeys<string>(failing);
    const failures: unknown[] = [];
    keys.watch({ keyIds: () => [], revoked: () => undefined, failed: (e) => failures.push(e) });
    keys.put('hash1', 'k1', 'principal-1', Date.now(), Date.now());
    await jest.advanceTimersByTimeAsync(REVOCATION_WINDOW_MS - 1);
    expect(keys.get('hash1')).toBe('principal-1');
    await jest.advanceTimersByTimeAsync(1);
    expect(keys.get('hash1')).toBeUndefined();
    expect(failures.length).toBeGreaterThan(0);
    await keys.close();
  });

  it('forgets a key revoked in this process at once, even while a re-check that still saw it active finishes', async () => {
    let release!: () => void;
    const { state, store } = memoryStore(['k1']);
    // The re-check's query reads the table before the revocation and answers after it.
    const slow: KeyStore = {
      ...store,
      activeIds: async (ids) => {
        const seen = await store.activeIds(ids);
        await new Promise<void>((r) => (release = r));
        return seen;
      },
    };
    const keys = new VerifiedKeys<string>(slow);
    keys.put('hash1', 'k1', 'principal-1', Date.now(), Date.now());
    await jest.advanceTimersByTimeAsync(KEY_RECHECK_MS);
    state.active.delete('k1');
    keys.forget(new Set(['k1']));
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(keys.get('hash1')).toBeUndefined();
    // A verification that read the key before the revocation does not cache it after.
    keys.put('hash1', 'k1', 'principal-1', Date.now() - 1, Date.now());
    expect(keys.get('hash1')).toBeUndefined();
    const asked = keys.isActive('k1');
    await jest.advanceTimersByTimeAsync(0);
    release();
    expect(await asked).toBe(false);
    await keys.close();
  });

  it('stamps lastUsedAt at most once per resolution per key, in one write for all keys', async () => {
    const { state, store } = memoryStore(['k1', 'k2']);
    const keys = new VerifiedKeys<string>(store);
    const t0 = Date.now();
    keys.put('hash1', 'k1', 'p1', t0, t0);
    keys.put('hash2', 'k2', 'p2', t0, t0);
    for (let i = 0; i < (LAST_USED_RESOLUTION_MS * 5) / 3 / 1_000; i++) {
      keys.get('hash1');
      keys.get('hash2');
      await jest.advanceTimersByTimeAsync(1_000);
    }
    // 100 s of use, under two resolutions: one stamp each once the first minute has passed, both in the same write.
    expect(state.touched).toEqual([['k1', 'k2']]);
    await keys.close();
  });
});
