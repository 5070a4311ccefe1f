import { AdaptiveLimit, GROW_BELOW_MS, SLOW_ABOVE_MS } from '../../src/delivery/adaptive-limit';

/** Runs `n` sends through the limit, all at once (so it is kept full), each ending with `outcome`. */
async function burst(l: AdaptiveLimit, n: number, outcome: { ok: boolean; durationMs: number }): Promise<number> {
  let maxActive = 0;
  let active = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      await l.acquire();
      maxActive = Math.max(maxActive, ++active);
      await Promise.resolve();
      active--;
      l.release(outcome);
    }),
  );
  return maxActive;
}

describe('adaptive per-webhook send limit', () => {
  it('growsWhileAFastReceiverKeepsItFullUpToTheMax', async () => {
    const l = new AdaptiveLimit(16, 64);
    expect(await burst(l, 16, { ok: true, durationMs: 2 })).toBe(16);
    expect(l.limit).toBe(20);
    await burst(l, 2_000, { ok: true, durationMs: GROW_BELOW_MS - 1 });
    expect(l.limit).toBe(64);
    // Never more in flight than the limit of the moment.
    expect(await burst(l, 500, { ok: true, durationMs: 2 })).toBe(64);
  });

  it('doesNotGrowWhenTheReceiverIsNotFast', async () => {
    const l = new AdaptiveLimit(16, 64);
    await burst(l, 200, { ok: true, durationMs: GROW_BELOW_MS + 1 });
    expect(l.limit).toBe(16);
  });

  it('halvesOnErrorsDownToOne', async () => {
    const l = new AdaptiveLimit(16, 64);
    await burst(l, 16, { ok: false, durationMs: 2 });
    expect(l.limit).toBe(8);
    await burst(l, 100, { ok: false, durationMs: 2 });
    expect(l.limit).toBe(1);
  });

  it('shrinksWhenSlowButNotBelowTheConfiguredStart', async () => {
    const l = new AdaptiveLimit(16, 64);
    await burst(l, 300, { ok: true, durationMs: 2 });
    const grown = l.limit;
    expect(grown).toBeGreaterThan(32);
    // Two windows' worth: the first may still hold fast sends of the burst before.
    await burst(l, grown * 2, { ok: true, durationMs: SLOW_ABOVE_MS + 1 });
    expect(l.limit).toBeLessThan(grown);
    expect(l.limit).toBeGreaterThanOrEqual(Math.floor(Math.floor(grown * 0.75) * 0.75));
    await burst(l, 1_000, { ok: true, durationMs: SLOW_ABOVE_MS + 1 });
    expect(l.limit).toBe(16);
  });
});
