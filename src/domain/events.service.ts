import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AccountEntity, CampaignEntity, DeliveryEntity, EventEntity, WebhookEntity } from '../db/entities';
import { isUniqueViolation } from '../db/errors';
import { EVENT_COLUMNS, newDelivery } from '../db/rows';
import { insertRows } from '../db/sql';
import { assertPublicUrl, LookupAll } from '../delivery/ssrf';
import type { Handoff, Outbox } from '../outbox/outbox';
import type { DomainEvents } from './domain-events';
import { addFieldError, badInput, FieldErrors, notFound } from './errors';
import { baseEventType, findEventType } from './event-types';
import { campaignsToLoad, MatcherCache, matchingWebhooks } from './fan-out';
import { compileMatcher, contextFromCampaigns, NO_CAMPAIGNS } from './filters';
import { newId } from './ids';
import { Page, pageById } from './pagination';
import { SecretBox } from './secret-box';
import { generateSecret } from './signing';

export interface PublishInput {
  type: string;
  payload: Record<string, unknown>;
  occurredAt?: Date | null;
  idempotencyKey?: string | null;
  deliverAfterSeconds?: number | null;
  /** A one-off target for this event only (per-call webhooks). */
  webhookUrl?: string | null;
  /** Which of the event types the one-off target wants; default: this event's. */
  webhookEvents?: string[] | null;
}

export interface PublishedEvent {
  event: EventEntity;
  /** Deliveries created for it now (0 for an idempotent replay). */
  deliveryCount: number;
  /** True when the idempotency key matched an earlier event: that one is returned and nothing is sent again. */
  replayed: boolean;
  /** When its deliveries fall due (none when it has none). */
  firstDueAt?: Date;
}

/**
 * Publishing: events and their delivery rows commit in one transaction (the outbox), so an
 * acknowledged event can never lose a delivery. Matching happens once, here.
 */
export class EventService {
  private readonly matchers = new MatcherCache();

  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
    private readonly outbox: Outbox,
    private readonly opts: { allowPrivateTargets: boolean; lookupAll?: LookupAll },
    private readonly events?: DomainEvents,
  ) {}

  async publish(accountId: string, inputs: PublishInput[], fieldPrefix = (i: number) => `inputs.${i}.`): Promise<PublishedEvent[]> {
    await this.checkOneOffTargets(inputs, fieldPrefix);
    let result: PublishedEvent[];
    try {
      result = await this.publishOnce(accountId, inputs);
    } catch (e) {
      // A concurrent publish with the same idempotency key won the race: ours now finds its event.
      if (!isUniqueViolation(e)) throw e;
      result = await this.publishOnce(accountId, inputs);
    }
    const fresh = result.filter((r) => !r.replayed);
    if (fresh.length) {
      const due = fresh.map((r) => r.firstDueAt).filter((d): d is Date => !!d);
      const firstDueAt = due.length ? new Date(Math.min(...due.map((d) => d.getTime()))) : undefined;
      this.events?.eventsPublished(accountId, fresh.map((r) => r.event), fresh.reduce((n, r) => n + r.deliveryCount, 0), firstDueAt);
    }
    return result;
  }

  /** One transaction; the outbox hands its rows on only once it has committed. */
  private async publishOnce(accountId: string, inputs: PublishInput[]): Promise<PublishedEvent[]> {
    let handoff: Handoff | undefined;
    try {
      const out = await this.ds.transaction(async (m) => {
        const r = await this.publishIn(m, accountId, inputs);
        handoff = r.handoff;
        return r.out;
      });
      handoff?.committed();
      return out;
    } catch (e) {
      handoff?.rolledBack();
      throw e;
    }
  }

  private async checkOneOffTargets(inputs: PublishInput[], fieldPrefix: (i: number) => string) {
    const errors: FieldErrors = {};
    for (const [i, input] of inputs.entries()) {
      if (input.webhookEvents && !input.webhookUrl) addFieldError(errors, `${fieldPrefix(i)}webhookEvents`, 'needs webhookUrl');
      if (!input.webhookUrl) continue;
      try {
        await assertPublicUrl(input.webhookUrl, { allowPrivate: this.opts.allowPrivateTargets, lookupAll: this.opts.lookupAll });
      } catch (e) {
        addFieldError(errors, `${fieldPrefix(i)}webhookUrl`, (e as Error).message);
      }
    }
    if (Object.keys(errors).length) throw badInput(errors);
  }

  private async publishIn(m: EntityManager, accountId: string, inputs: PublishInput[]): Promise<{ out: PublishedEvent[]; handoff?: Handoff }> {
    const now = new Date();
    // 1. Idempotency: an input whose key is already stored returns that event.
    const keys = [...new Set(inputs.map((i) => i.idempotencyKey).filter((k): k is string => !!k))];
    const known = new Map<string, EventEntity>();
    if (keys.length) {
      for (const e of await m.getRepository(EventEntity).findBy({ accountId, idempotencyKey: In(keys) })) known.set(e.idempotencyKey!, e);
    }
    // 2. New event rows.
    const out: PublishedEvent[] = [];
    const fresh: { event: EventEntity; input: PublishInput; result: PublishedEvent }[] = [];
    for (const input of inputs) {
      const prior = input.idempotencyKey ? known.get(input.idempotencyKey) : undefined;
      if (prior) {
        out.push({ event: prior, deliveryCount: 0, replayed: true });
        continue;
      }
      const event: EventEntity = {
        id: newId(),
        accountId,
        type: input.type,
        payload: input.payload,
        occurredAt: input.occurredAt ?? now,
        idempotencyKey: input.idempotencyKey ?? null,
        createdAt: now,
      };
      if (event.idempotencyKey) known.set(event.idempotencyKey, event);
      const result: PublishedEvent = { event, deliveryCount: 0, replayed: false };
      fresh.push({ event, input, result });
      out.push(result);
    }
    if (!fresh.length) return { out };
    // 3. Fan-out: the account's live webhooks, each compiled matcher evaluated once per event.
    const webhooks = await m.getRepository(WebhookEntity).findBy({ accountId, enabled: true, status: 'ACTIVE', deletedAt: IsNull() });
    const campaignIds = campaignsToLoad(fresh.map((f) => f.event), webhooks);
    const ctx = campaignIds.length ? contextFromCampaigns(await this.campaigns(m, accountId, campaignIds)) : NO_CAMPAIGNS;
    const deliveries: DeliveryEntity[] = [];
    for (const { event, input, result } of fresh) {
      const delaySeconds = input.deliverAfterSeconds ?? findEventType(event.type)?.defaultDelaySeconds ?? 0;
      const due = new Date(now.getTime() + delaySeconds * 1000);
      const targets: { webhookId: string | null; url: string | null }[] = matchingWebhooks(event, webhooks, this.matchers, ctx).map((w) => ({ webhookId: w.id, url: null }));
      if (input.webhookUrl) {
        const wanted = input.webhookEvents?.length ? input.webhookEvents : [event.type];
        if (compileMatcher({ events: wanted })(event, ctx)) targets.push({ webhookId: null, url: input.webhookUrl });
      }
      for (const t of targets) {
        deliveries.push(newDelivery({ accountId, eventId: event.id, webhookId: t.webhookId, targetUrl: t.url, nextAttemptAt: due }, now));
      }
      result.deliveryCount = targets.length;
      if (targets.length) result.firstDueAt = due;
    }
    if (fresh.some((f) => f.input.webhookUrl)) await this.ensureAccountSecret(m, accountId);
    // 4. Multi-row inserts.
    await insertRows(m, 'events', EVENT_COLUMNS, fresh.map((f) => f.event));
    const handoff = await this.outbox.enqueue(m, deliveries, new Map(fresh.map((f) => [f.event.id, f.event])), now);
    return { out, handoff };
  }

  private async campaigns(m: EntityManager, accountId: string, ids: string[]) {
    return m.getRepository(CampaignEntity).findBy({ accountId, id: In(ids) });
  }

  /** The account-level secret that signs one-off targets; created on first use. */
  async ensureAccountSecret(m: EntityManager | DataSource, accountId: string): Promise<string> {
    const repo = m.getRepository(AccountEntity);
    const account = await repo.findOneByOrFail({ id: accountId });
    if (account.signingSecretSealed) return this.box.open(account.signingSecretSealed);
    const secret = generateSecret();
    await repo.update({ id: accountId, signingSecretSealed: IsNull() }, { signingSecretSealed: this.box.seal(secret) });
    const again = await repo.findOneByOrFail({ id: accountId });
    return this.box.open(again.signingSecretSealed!);
  }

  async get(accountId: string, id: string): Promise<EventEntity> {
    const event = await this.ds.getRepository(EventEntity).findOneBy({ id, accountId });
    if (!event) throw notFound('Event', id);
    return event;
  }

  list(accountId: string, args: { first?: number | null; after?: string | null; type?: string | null; since?: Date | null }): Promise<Page<EventEntity>> {
    const qb = this.ds.getRepository(EventEntity).createQueryBuilder('e').where('e.account_id = :accountId', { accountId });
    if (args.type) {
      const base = baseEventType(args.type) ?? args.type;
      qb.andWhere('e.type = :type', { type: base });
    }
    if (args.since) qb.andWhere('e.occurred_at >= :since', { since: args.since });
    return pageById(qb, args);
  }
}
