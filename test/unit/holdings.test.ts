import { Holdings } from '../../src/delivery/holdings';

/** How many rows of one webhook a hand-over takes, one at a time, until the holdings refuse. */
function takeAll(h: Holdings, webhookId: string | null, now: number, cap = 100_000): number {
  let n = 0;
  while (n < cap && h.fitsHandoff(webhookId, now)) {
    h.hold(webhookId);
    n++;
  }
  return n;
}

/** `sends` sends ended, evenly over [from, from + ms). */
function paced(h: Holdings, sends: number, from: number, ms: number): void {
  for (let i = 0; i < sends; i++) h.sent(from + Math.floor((i * ms) / sends));
}

/** One full window of `limit` sends to a webhook, each answered in `durationMs`, so its mean is known. */
function answered(h: Holdings, webhookId: string, durationMs: number): void {
  const limit = h.limit(webhookId);
  const n = limit.limit;
  for (let i = 0; i < n; i++) void limit.acquire();
  for (let i = 0; i < n; i++) limit.release({ ok: true, durationMs });
}

const opts = { perWebhookConcurrency: 16, concurrency: 64, leaseMs: 180_000 };
const MAX = 64 + 100;

describe('Holdings: how much a publish may hand straight to the local worker', () => {
  it('takes a claim room per webhook, and three claim rooms in all, while the pace is unknown', () => {
    const h = new Holdings(MAX, opts);
    expect(takeAll(h, 'w1', 0)).toBe(32);
    expect(takeAll(h, null, 0)).toBe(MAX * 3 - 32);
  });

  it('takes one second of sending at the measured pace, globally and for a fast webhook', () => {
    const h = new Holdings(MAX, opts);
    answered(h, 'w1', 2);
    // 4,000 sends/s: 800 in the first 200 ms window, read once the window has passed.
    paced(h, 800, 0, 200);
    // Its window of sends was full and fast: its limit grew from 16 to 20.
    expect(h.limit('w1').limit).toBe(20);
    // Global: one second at 4,000/s; the webhook alone could send 20 / 2 ms = 10,000 in a second.
    expect(takeAll(h, 'w1', 200)).toBe(4_000);
  });

  it('keeps a slow webhook at its claim room, whatever the global pace', () => {
    const h = new Holdings(MAX, opts);
    answered(h, 'slow', 2_000);
    paced(h, 800, 0, 200);
    // Slow (a 2 s mean is past SLOW_ABOVE_MS): its limit stays 16, its room 2 × 16.
    expect(takeAll(h, 'slow', 200)).toBe(32);
    // Other webhooks still get the paced room.
    expect(takeAll(h, null, 200)).toBe(4_000 - 32);
  });

  it('waits at most a tenth of the lease: a 2 s lease takes 200 ms of sending', () => {
    const h = new Holdings(MAX, { ...opts, leaseMs: 2_000 });
    answered(h, 'w1', 2);
    paced(h, 8_000, 0, 200);
    // 40,000/s for 200 ms = 8,000 globally; the webhook: 20 sends in flight / 2 ms * 200 ms = 2,000.
    expect(takeAll(h, 'w1', 200)).toBe(2_000);
  });

  it('forgets the pace after a silent window', () => {
    const h = new Holdings(MAX, opts);
    paced(h, 800, 0, 200);
    expect(takeAll(h, null, 1_000)).toBe(MAX * 3);
  });
});
