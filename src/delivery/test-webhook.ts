import type { DataSource } from 'typeorm';
import { DeliveryAttemptEntity, EventEntity } from '../db/entities';
import { newDelivery } from '../db/rows';
import type { DomainEvents } from '../domain/domain-events';
import { badInput } from '../domain/errors';
import { findEventType } from '../domain/event-types';
import { newId } from '../domain/ids';
import type { WebhookService } from '../domain/webhooks.service';
import { attemptDelivery, AttempterDeps } from './attempter';
import type { Outbox } from '../outbox/outbox';
import { snapshotOf } from '../outbox/types';

/**
 * testWebhook: sends one event (`webhook.test`, or the catalog example of a type) to one webhook right
 * now and returns the attempt. It is logged like any delivery (trigger TEST) and never retried.
 */
export class WebhookTester {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly webhooks: WebhookService,
    private readonly deps: AttempterDeps,
    private readonly announce?: DomainEvents,
  ) {}

  async test(accountId: string, webhookId: string, eventType?: string | null): Promise<DeliveryAttemptEntity> {
    const webhook = await this.webhooks.get(accountId, webhookId);
    const type = findEventType(eventType ?? 'webhook.test');
    if (!type) throw badInput({ eventType: [`unknown event type "${eventType}" (see the eventTypes query)`] });
    const now = new Date();
    const event: EventEntity = { id: newId(), accountId, type: type.name, payload: { ...type.examplePayload }, occurredAt: now, idempotencyKey: null, createdAt: now };
    const leaseToken = newId();
    const lockedUntil = new Date(now.getTime() + (webhook.timeoutSeconds + 60) * 1000);
    // Born in flight under our own lease: no worker can claim it while this request sends it.
    const delivery = newDelivery({ accountId, eventId: event.id, webhookId, targetUrl: null, nextAttemptAt: null, status: 'IN_FLIGHT', nextTrigger: 'TEST', leaseToken, lockedUntil }, now);
    await this.ds.transaction(async (m) => {
      await m.getRepository(EventEntity).insert(event as object);
      (await this.outbox.enqueue(m, [delivery])).committed();
    });
    const claimed = { ...delivery, leaseToken, lockedUntil, webhookId, nextTrigger: 'TEST' as const };
    const record = await attemptDelivery(this.deps, claimed, event, webhook, { noRetry: true, force: true });
    await this.outbox.record([record], { autoDisableAfterMs: 0, autoDisableMinFailures: 0 });
    this.announce?.deliveriesUpdated([snapshotOf(record, new Date())]);
    const [attempt] = await this.ds.getRepository(DeliveryAttemptEntity).find({ where: { deliveryId: delivery.id }, order: { number: 'DESC' }, take: 1 });
    return attempt;
  }
}
