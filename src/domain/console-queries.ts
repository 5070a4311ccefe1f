import { DataSource, In } from 'typeorm';
import { CampaignEntity, DeliveryEntity, EventEntity, WebhookEntity } from '../db/entities';
import { isMysql } from '../db/data-source';
import { runSql } from '../db/sql';
import { badInput, notFound } from './errors';
import { campaignIdsNeeded, compileExplainer, contextFromCampaigns, type Filters, validateFilters } from './filters';

/** Most events one previewMatch looks at. @default 200 */
export const MAX_PREVIEW_EVENTS = 200;
/** Most buckets one timeline returns (hours × 60 / bucketMinutes). @default 1_000 */
export const MAX_TIMELINE_BUCKETS = 1_000;
/** Most attempt durations read for one timeline's percentiles. @default 100_000 */
const MAX_TIMELINE_SAMPLES = 100_000;

/** One time bucket of a webhook's attempts. */
export interface TimelineBucket {
  start: Date;
  succeeded: number;
  failed: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** How one past event fares against a subscription: matched, or the first condition that failed. */
export interface MatchPreview {
  event: EventEntity;
  matched: boolean;
  reason: string | null;
}

/** The p-th percentile (nearest rank) of ascending numbers; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * The read-side queries the operator console needs beyond the CRUD services: a webhook's attempt
 * timeline, the filter dry-run, and batched lookups by id for the GraphQL DataLoaders.
 */
export class ConsoleQueries {
  constructor(private readonly ds: DataSource) {}

  /**
   * Attempts of one webhook over the last `hours` in buckets of `bucketMinutes`, oldest first, every
   * bucket present (zeros where nothing happened). Counts are grouped in SQL; percentiles are picked
   * from the durations SQL returns sorted per bucket (SQLite has no percentile function).
   */
  async timeline(webhookId: string, hours: number, bucketMinutes: number, now = new Date()): Promise<TimelineBucket[]> {
    const errors: Record<string, string[]> = {};
    if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 31) errors.hours = ['must be a whole number of hours from 1 to 744'];
    if (!Number.isInteger(bucketMinutes) || bucketMinutes < 1 || bucketMinutes > 24 * 60) errors.bucketMinutes = ['must be from 1 to 1440 minutes'];
    else if ((hours * 60) / bucketMinutes > MAX_TIMELINE_BUCKETS) errors.bucketMinutes = [`gives more than ${MAX_TIMELINE_BUCKETS} buckets; use wider buckets`];
    if (Object.keys(errors).length) throw badInput(errors);

    const bucketMs = bucketMinutes * 60_000;
    // Buckets align to whole multiples of their width, so a refresh keeps the same boundaries.
    const end = Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs;
    const since = new Date(end - Math.ceil((hours * 60) / bucketMinutes) * bucketMs);
    const bucket = isMysql(this.ds)
      ? `FLOOR(TIMESTAMPDIFF(MICROSECOND, :since, started_at) / ${bucketMs * 1000})`
      : `CAST((julianday(started_at) - julianday(:since)) * 86400000 / ${bucketMs} AS INTEGER)`;
    const where = `webhook_id = :webhookId AND started_at >= :since`;
    const params = { webhookId, since };
    const counts = await runSql<Record<string, unknown>[]>(
      this.ds,
      `SELECT ${bucket} AS b, SUM(CASE WHEN error_kind IS NULL THEN 1 ELSE 0 END) AS ok, SUM(CASE WHEN error_kind IS NULL THEN 0 ELSE 1 END) AS failed
       FROM delivery_attempts WHERE ${where} GROUP BY b`,
      params,
    );
    const samples = await runSql<Record<string, unknown>[]>(
      this.ds,
      `SELECT ${bucket} AS b, duration_ms AS d FROM delivery_attempts WHERE ${where} ORDER BY b, d LIMIT ${MAX_TIMELINE_SAMPLES}`,
      params,
    );
    const n = (end - since.getTime()) / bucketMs;
    const buckets: TimelineBucket[] = Array.from({ length: n }, (_, i) => ({
      start: new Date(since.getTime() + i * bucketMs),
      succeeded: 0,
      failed: 0,
      p50LatencyMs: null,
      p95LatencyMs: null,
    }));
    for (const row of counts) {
      const b = buckets[Number(row.b)];
      if (!b) continue;
      b.succeeded = Number(row.ok);
      b.failed = Number(row.failed);
    }
    const durations = new Map<number, number[]>();
    for (const row of samples) {
      const list = durations.get(Number(row.b)) ?? [];
      list.push(Number(row.d));
      durations.set(Number(row.b), list);
    }
    for (const [i, sorted] of durations) {
      const b = buckets[i];
      if (!b) continue;
      b.p50LatencyMs = percentile(sorted, 50);
      b.p95LatencyMs = percentile(sorted, 95);
    }
    return buckets;
  }

  /**
   * The filter dry-run: the account's last `last` events (newest first) checked against `events` and
   * `filters` by the fan-out filter engine, each with the first condition that failed.
   */
  async previewMatch(accountId: string, sub: { events: string[]; filters?: Filters | null }, last: number): Promise<MatchPreview[]> {
    const errors: Record<string, string[]> = {};
    if (!sub.events.length) errors.events = ['name at least one event type'];
    if (sub.filters != null) {
      const messages = validateFilters(sub.filters);
      if (messages.length) errors.filters = messages;
    }
    if (!Number.isInteger(last) || last < 1 || last > MAX_PREVIEW_EVENTS) errors.last = [`must be from 1 to ${MAX_PREVIEW_EVENTS}`];
    if (Object.keys(errors).length) throw badInput(errors);

    const events = await this.ds.getRepository(EventEntity).find({ where: { accountId }, order: { id: 'DESC' }, take: last });
    const campaignIds = campaignIdsNeeded(events, [sub]);
    const ctx = contextFromCampaigns(campaignIds.length ? await this.ds.getRepository(CampaignEntity).findBy({ accountId, id: In(campaignIds) }) : []);
    const explain = compileExplainer(sub);
    return events.map((event) => {
      const reason = explain(event, ctx) ?? null;
      return { event, matched: reason === null, reason };
    });
  }

  /** Events by id in one query, in `ids` order; NOT_FOUND for an id of another account or none. */
  async eventsByIds(accountId: string, ids: readonly string[]): Promise<(EventEntity | Error)[]> {
    const rows = await this.ds.getRepository(EventEntity).findBy({ accountId, id: In(unique(ids)) });
    return inOrder(ids, rows, (id) => notFound('Event', id));
  }

  /** Webhooks (soft-deleted ones too) by id in one query, in `ids` order. */
  async webhooksByIds(accountId: string, ids: readonly string[]): Promise<(WebhookEntity | Error)[]> {
    const rows = await this.ds.getRepository(WebhookEntity).findBy({ accountId, id: In(unique(ids)) });
    return inOrder(ids, rows, (id) => notFound('Webhook', id));
  }

  /** The deliveries of many events in one query (at most `perEvent` each, oldest first). */
  async deliveriesOfEvents(accountId: string, eventIds: readonly string[], perEvent = 100): Promise<DeliveryEntity[][]> {
    const rows = await this.ds.getRepository(DeliveryEntity).find({ where: { accountId, eventId: In(unique(eventIds)) }, order: { id: 'ASC' } });
    const byEvent = new Map<string, DeliveryEntity[]>(eventIds.map((id) => [id, []]));
    for (const d of rows) {
      const list = byEvent.get(d.eventId);
      if (list && list.length < perEvent) list.push(d);
    }
    return eventIds.map((id) => byEvent.get(id)!);
  }
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function inOrder<T extends { id: string }>(ids: readonly string[], rows: T[], missing: (id: string) => Error): (T | Error)[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? missing(id));
}
