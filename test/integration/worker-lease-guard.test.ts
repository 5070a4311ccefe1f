import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { DeliveryEntity, EventEntity } from '../../src/db/entities';
import { newDelivery } from '../../src/db/rows';
import type { SendRequest, SendResult } from '../../src/delivery/sender';
import { WebhookCache } from '../../src/delivery/webhook-cache';
import { DeliveryWorker } from '../../src/delivery/worker';
import { newId } from '../../src/domain/ids';
import { createLogger } from '../../src/logger';
import { Outbox } from '../../src/outbox/outbox';
import { createTestDatabase, TestDatabase } from '../helpers/db';

/**
 * Rows handed to the local worker may wait in memory for a send slot. One whose lease ran out while
 * it waited may already belong to another worker: it must not be sent under the stale lease.
 */
describe('delivery worker: a delivery whose lease ran out while it waited is not sent (MariaDB)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const accountId = newId();

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    ds = await openDatabase({ type: 'mysql', url: db.url }, { poolSize: 4 });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** A worker on `outbox` whose sends are recorded in `sent` and answered 200 (no HTTP). */
  function newWorker(outbox: Outbox, sent: SendRequest[]): DeliveryWorker {
    return new DeliveryWorker(
      {
        send: async (req): Promise<SendResult> => {
          sent.push(req);
          return { ok: true, status: 200, body: '', durationMs: 1 };
        },
        webhookSecrets: () => [],
        accountSecret: async () => 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        retryScheduleMs: [1_000],
        outbox,
        webhooks: new WebhookCache(ds),
        log: createLogger('silent'),
      },
      { concurrency: 4, perWebhookConcurrency: 2, claimBatch: 10, leaseMs: 60_000, pollIntervalMs: 60_000, autoDisableAfterMs: 0, autoDisableMinFailures: 20 },
    );
  }

  it('skips a delivery another worker reclaimed after its lease expired, and leaves that worker its row', async () => {
    const outbox = new Outbox(ds);
    const now = Date.now();
    const event: EventEntity = { id: newId(), accountId, type: 'call.failed', payload: { n: 1 }, occurredAt: new Date(now), idempotencyKey: null, createdAt: new Date(now) };
    await ds.getRepository(EventEntity).insert(event as object);
    const row = newDelivery({ accountId, eventId: event.id, webhookId: null, targetUrl: 'http://127.0.0.1:9/never', nextAttemptAt: new Date(now - 120_000) }, new Date(now - 120_000));
    (await outbox.enqueue(ds, [row])).committed();

    // This worker's lease: taken two minutes ago for 60 s, so it has run out.
    const stale = await outbox.claim(1, 60_000, {}, new Date(now - 120_000));
    expect(stale.claimed).toHaveLength(1);
    // The reaper frees it and another worker takes it under a fresh lease.
    expect(await outbox.reap()).toBe(1);
    const fresh = await outbox.claim(1, 60_000);
    expect(fresh.claimed).toHaveLength(1);

    const sent: SendRequest[] = [];
    const worker = newWorker(outbox, sent);
    worker.start();
    try {
      // The stale lease reaches the worker as a hand-over would.
      const lease = worker.reserve([row], new Date())!;
      expect(lease).not.toBeNull();
      worker.accept(lease, stale.claimed, new Map([[event.id, event]]));
      await new Promise((r) => setTimeout(r, 300));
      expect(sent).toHaveLength(0);
      const after = await ds.getRepository(DeliveryEntity).findOneByOrFail({ id: row.id });
      expect({ status: after.status, lease: after.leaseToken, attempts: after.attemptCount }).toEqual({ status: 'IN_FLIGHT', lease: fresh.claimed[0].leaseToken, attempts: 0 });
    } finally {
      await worker.stop(1_000);
    }
  });

  it('sends a delivery whose lease still holds', async () => {
    const outbox = new Outbox(ds);
    const now = new Date();
    const event: EventEntity = { id: newId(), accountId, type: 'call.failed', payload: { n: 2 }, occurredAt: now, idempotencyKey: null, createdAt: now };
    await ds.getRepository(EventEntity).insert(event as object);
    const row = newDelivery({ accountId, eventId: event.id, webhookId: null, targetUrl: 'http://127.0.0.1:9/never', nextAttemptAt: now }, now);
    const sent: SendRequest[] = [];
    const worker = newWorker(outbox, sent);
    worker.start();
    try {
      // Handed over at publish: inserted leased to this worker, sent once committed.
      (await outbox.enqueue(ds, [row], new Map([[event.id, event]]), now)).committed();
      const deadline = Date.now() + 5_000;
      let after = await ds.getRepository(DeliveryEntity).findOneByOrFail({ id: row.id });
      while (after.status !== 'SUCCEEDED' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        after = await ds.getRepository(DeliveryEntity).findOneByOrFail({ id: row.id });
      }
      expect(sent).toHaveLength(1);
      expect(after).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1, leaseToken: null });
    } finally {
      await worker.stop(1_000);
    }
  });
});
