import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { CampaignEntity, DeliveryAttemptEntity, DeliveryEntity, EventEntity } from '../db/entities';
import { percentile } from './console-queries';
import { campaignsToLoad } from './fan-out';
import type { DeliveryStatus } from '../db/entities/delivery.entity';
import { newDelivery } from '../db/rows';
import { runSql } from '../db/sql';
import type { Outbox } from '../outbox/outbox';
import type { DomainEvents } from './domain-events';
import { badInput, notFound } from './errors';
import { compileMatcher, contextFromCampaigns } from './filters';
import { MAX_PAGE_SIZE, Page, pageById } from './pagination';
import type { WebhookService } from './webhooks.service';

/** Deliveries created or re-queued per replay call at most. */
export const MAX_REPLAY = 10_000;

export interface WebhookStats {
  windowHours: number;
  deliveries: number;
  succeeded: number;
  failed: number;
  pending: number;
  attempts: number;
  successRate: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** Queries over deliveries and attempts, and the operator actions that re-queue them. */
export class DeliveryService {
  constructor(
    private readonly ds: DataSource,
    private readonly webhooks: WebhookService,
    private readonly outbox: Outbox,
    private readonly announce?: DomainEvents,
  ) {}

  async get(accountId: string, id: string): Promise<DeliveryEntity> {
    const d = await this.ds.getRepository(DeliveryEntity).findOneBy({ id, accountId });
    if (!d) throw notFound('Delivery', id);
    return d;
  }

  list(accountId: string, args: { first?: number | null; after?: string | null; newestFirst?: boolean | null; webhookId?: string | null; eventId?: string | null; status?: DeliveryStatus | null }): Promise<Page<DeliveryEntity>> {
    const qb = this.ds.getRepository(DeliveryEntity).createQueryBuilder('d').where('d.account_id = :accountId', { accountId });
    if (args.webhookId) qb.andWhere('d.webhook_id = :webhookId', { webhookId: args.webhookId });
    if (args.eventId) qb.andWhere('d.event_id = :eventId', { eventId: args.eventId });
    if (args.status) qb.andWhere('d.status = :status', { status: args.status });
    return pageById(qb, args);
  }

  /** Attempts of many deliveries at once (the GraphQL field loader). */
  async attemptsOf(deliveryIds: readonly string[]): Promise<Map<string, DeliveryAttemptEntity[]>> {
    const map = new Map<string, DeliveryAttemptEntity[]>(deliveryIds.map((id) => [id, []]));
    if (!deliveryIds.length) return map;
    const rows = await this.ds.getRepository(DeliveryAttemptEntity).find({ where: { deliveryId: In([...deliveryIds]) }, order: { number: 'ASC', startedAt: 'ASC' } });
    for (const r of rows) map.get(r.deliveryId!)?.push(r);
    return map;
  }

  /**
   * Sends a delivery again: it becomes PENDING, due now, and its next attempt is recorded as MANUAL
   * with a fresh retry budget. A delivery in flight is left alone (it is being attempted right now).
   */
  async redeliver(accountId: string, id: string): Promise<DeliveryEntity> {
    const d = await this.get(accountId, id);
    if (d.status === 'IN_FLIGHT') throw badInput({ deliveryId: ['is being attempted right now; try again when it settles'] });
    await this.outbox.requeue(id);
    const updated = await this.get(accountId, id);
    this.announce?.deliveriesUpdated([updated]);
    return updated;
  }

  /**
   * Re-queues the past events of one webhook that occurred in [since, until): existing deliveries
   * (only the FAILED ones with onlyFailed) become due now, and with onlyFailed false, events that
   * match the webhook now but never had a delivery to it get one. Returns how many were queued.
   */
  async replayWebhook(accountId: string, webhookId: string, args: { since: Date; until?: Date | null; onlyFailed?: boolean | null }): Promise<number> {
    const webhook = await this.webhooks.get(accountId, webhookId);
    const until = args.until ?? new Date();
    if (until <= args.since) throw badInput({ until: ['must be after since'] });
    const now = new Date();
    const requeued = await this.outbox.requeueWebhook(webhookId, { since: args.since, until, onlyFailed: !!args.onlyFailed, limit: MAX_REPLAY }, now);
    let created = 0;
    if (!args.onlyFailed) {
      const missing: EventEntity[] = await this.ds
        .getRepository(EventEntity)
        .createQueryBuilder('e')
        .where('e.account_id = :accountId AND e.occurred_at >= :since AND e.occurred_at < :until', { accountId, since: args.since, until })
        .andWhere('NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.webhook_id = :webhookId)', { webhookId })
        .orderBy('e.id', 'ASC')
        .take(MAX_REPLAY)
        .getMany();
      const match = compileMatcher({ events: webhook.events, filters: webhook.filters });
      const campaignIds = campaignsToLoad(missing, [webhook]);
      const ctx = contextFromCampaigns(campaignIds.length ? await this.ds.getRepository(CampaignEntity).findBy({ accountId, id: In(campaignIds) }) : []);
      const rows = missing
        .filter((e) => match(e, ctx))
        .map((e) => newDelivery({ accountId, eventId: e.id, webhookId, targetUrl: null, nextAttemptAt: now, nextTrigger: 'MANUAL' }, now));
      (await this.outbox.enqueue(this.ds, rows, undefined, now)).committed();
      created = rows.length;
    }
    return requeued + created;
  }

  /** Success rate, latency percentiles and counts of one webhook over the last `hours`. */
  async stats(webhookId: string, hours = 24, now = new Date()): Promise<WebhookStats> {
    const since = new Date(now.getTime() - hours * 3600_000);
    const [counts] = await runSql<Record<string, unknown>[]>(
      this.ds,
      `SELECT COUNT(*) AS n,
              SUM(CASE WHEN status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS ok,
              SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END) AS failed,
              SUM(CASE WHEN status IN ('PENDING', 'IN_FLIGHT') THEN 1 ELSE 0 END) AS pending
       FROM deliveries WHERE webhook_id = :webhookId AND created_at >= :since`,
      { webhookId, since },
    );
    const durations = (
      await this.ds.getRepository(DeliveryAttemptEntity).find({
        select: { durationMs: true },
        where: { webhookId, startedAt: MoreThanOrEqual(since) },
        order: { durationMs: 'ASC' },
        take: 100_000,
      })
    ).map((a) => a.durationMs);
    const ok = Number(counts?.ok ?? 0);
    const failed = Number(counts?.failed ?? 0);
    return {
      windowHours: hours,
      deliveries: Number(counts?.n ?? 0),
      succeeded: ok,
      failed,
      pending: Number(counts?.pending ?? 0),
      attempts: durations.length,
      successRate: ok + failed ? ok / (ok + failed) : null,
      p50LatencyMs: percentile(durations, 50),
      p95LatencyMs: percentile(durations, 95),
    };
  }
}

