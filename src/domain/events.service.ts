import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { isMysql } from '../db/data-source';
import { AccountEntity, DeliveryEntity, EventEntity, WebhookEntity } from '../db/entities';
import { isUniqueViolation } from '../db/errors';
import { EVENT_COLUMNS, newDelivery } from '../db/rows';
import { insertStatements, twoTripTransaction, type Statement } from '../db/sql';
import { assertPublicUrl, LookupAll } from '../net/address-policy';
import type { Handoff, Outbox } from '../outbox/outbox';
import type { DomainEvents } from './domain-events';
import { addFieldError, badInput, FieldErrors, notFound } from './errors';
import { CampaignCache } from './campaign-cache';
import { baseEventType, findEventType } from './event-types';
import { campaignOf, campaignsToLoad, campaignTarget, MatcherCache, matchingWebhooks } from './fan-out';
import { compileMatcher, contextFromCampaigns, NO_CAMPAIGNS } from './filters';
import { newId } from './ids';
import { payloadSizeProblem } from './match-limits';
import { Page, pageById } from './pagination';
import { SecretBox } from './secret-box';
import { GroupCommit } from './group-commit';
import { generateSecret } from './signing';
import { StampRow, WebhookSets } from './webhook-sets';

/** Events one publish transaction holds at most, summed over the callers it serves. @default 1000 */
export const MAX_GROUP_EVENTS = 1_000;
/** Publish transactions one process runs at once on MySQL (SQLite has one connection: 1). @default 2 */
export const PUBLISH_GROUPS_IN_FLIGHT = 2;
/**
 * A second publish transaction starts only once the running one has taken this long (ms): one at a
 * time while commits are quick, so groups are as large as they come (fewer round trips and commits per
 * publish: 10–25 % more publishes per second through HTTP here than two at once), and a slow one does
 * not hold up the rest. @default 20
 */
export const PUBLISH_OVERLAP_AFTER_MS = 20;

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

/** One caller's publish, waiting for its group. */
interface PublishRequest {
  accountId: string;
  inputs: PublishInput[];
}

/** Rows a group writes, and each input's result. */
interface FanOut {
  out: PublishedEvent[];
  events: EventEntity[];
  deliveries: DeliveryEntity[];
}

/**
 * Publishing: events and their delivery rows commit in one transaction (the outbox), so an
 * acknowledged event can never lose a delivery. Concurrent publishes share that transaction (group
 * commit): each caller is answered only after the commit, with its own result or its own error.
 * Matching happens once, here, against the account's webhook set (cached, checked in the transaction).
 */
export class EventService {
  private readonly matchers = new MatcherCache();
  private readonly webhookSets = new WebhookSets();
  private readonly campaignRows = new CampaignCache();
  private readonly groups: GroupCommit<PublishRequest, PublishedEvent[]>;

  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
    private readonly outbox: Outbox,
    private readonly opts: { allowPrivateTargets: boolean; lookupAll?: LookupAll },
    private readonly events?: DomainEvents,
  ) {
    this.groups = new GroupCommit({
      run: (requests) => this.commit(requests),
      size: (r) => r.inputs.length,
      maxSize: MAX_GROUP_EVENTS,
      maxInFlight: isMysql(ds) ? PUBLISH_GROUPS_IN_FLIGHT : 1,
      overlapAfterMs: PUBLISH_OVERLAP_AFTER_MS,
    });
  }

  async publish(accountId: string, inputs: PublishInput[], fieldPrefix = (i: number) => `inputs.${i}.`): Promise<PublishedEvent[]> {
    await this.checkInputs(inputs, fieldPrefix);
    const result = await this.groups.submit({ accountId, inputs });
    const fresh = result.filter((r) => !r.replayed);
    if (fresh.length) {
      const due = fresh.map((r) => r.firstDueAt).filter((d): d is Date => !!d);
      const firstDueAt = due.length ? new Date(Math.min(...due.map((d) => d.getTime()))) : undefined;
      this.events?.eventsPublished(accountId, fresh.map((r) => r.event), fresh.reduce((n, r) => n + r.deliveryCount, 0), firstDueAt);
    }
    return result;
  }

  /** Checks what the input classes cannot: payload size (matching runs in the publish transaction) and that one-off targets are public. */
  private async checkInputs(inputs: PublishInput[], fieldPrefix: (i: number) => string) {
    const errors: FieldErrors = {};
    for (const [i, input] of inputs.entries()) {
      const tooBig = payloadSizeProblem(input.payload);
      if (tooBig) addFieldError(errors, `${fieldPrefix(i)}payload`, tooBig);
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

  /**
   * One transaction for a group of publishes; returns each request's results, in order. The outbox
   * hands the group's rows on to the local worker only once the transaction has committed.
   */
  private async commit(requests: PublishRequest[]): Promise<PublishedEvent[][]> {
    try {
      return await this.commitOnce(requests);
    } catch (e) {
      // A concurrent publish with the same idempotency key won the race: ours now finds its event.
      if (!isUniqueViolation(e)) throw e;
      return this.commitOnce(requests);
    }
  }

  private async commitOnce(requests: PublishRequest[]): Promise<PublishedEvent[][]> {
    let handoff: Handoff | undefined;
    const accountIds = [...new Set(requests.map((r) => r.accountId))];
    try {
      const { out, delayed } = await twoTripTransaction(this.ds, this.webhookSets.stampQuery(accountIds), async (m, stamps) => {
        const prepared = await this.commitIn(m, requests, accountIds, stamps);
        handoff = prepared.handoff;
        return { result: prepared, writes: prepared.writes };
      });
      handoff?.committed();
      // Live feeds (the console) learn of a delivery that waits for its turn now, not at its first attempt.
      if (delayed.length) this.events?.deliveriesUpdated(delayed.map(({ lockedUntil, leaseToken, attemptBase, nextTrigger, ...snapshot }) => snapshot));
      return out;
    } catch (e) {
      handoff?.rolledBack();
      throw e;
    }
  }

  /**
   * The group's reads on `m` (its webhook sets, checked against the stamps read with START
   * TRANSACTION), and the writes that go with its COMMIT: the events and their delivery rows, as
   * multi-row inserts for the whole group.
   */
  private async commitIn(
    m: EntityManager,
    requests: PublishRequest[],
    accountIds: string[],
    stamps: StampRow[],
  ): Promise<{ out: PublishedEvent[][]; delayed: DeliveryEntity[]; writes: Statement[]; handoff: Handoff }> {
    const now = new Date();
    const webhookSets = await this.webhookSets.fromStamps(m, accountIds, stamps);
    const campaignVersions = new Map(stamps.map((r) => [r.id, Number(r.campaigns)]));
    const results = new Map<PublishRequest, PublishedEvent[]>();
    const events: EventEntity[] = [];
    const deliveries: DeliveryEntity[] = [];
    for (const accountId of accountIds) {
      // An account's requests fan out as one batch (a later request's idempotency key finds an earlier one's event), then split again.
      const mine = requests.filter((r) => r.accountId === accountId);
      const f = await this.fanOut(m, accountId, mine.flatMap((r) => r.inputs), webhookSets.get(accountId) ?? [], campaignVersions.get(accountId) ?? 0, now);
      events.push(...f.events);
      deliveries.push(...f.deliveries);
      let at = 0;
      for (const r of mine) {
        results.set(r, f.out.slice(at, at + r.inputs.length));
        at += r.inputs.length;
      }
    }
    const { statements, handoff } = this.outbox.prepareEnqueue(deliveries, new Map(events.map((e) => [e.id, e])), now);
    const delayed = deliveries.filter((d) => d.nextAttemptAt !== null && d.nextAttemptAt > now);
    return { out: requests.map((r) => results.get(r)!), delayed, writes: [...insertStatements('events', EVENT_COLUMNS, events), ...statements], handoff };
  }

  private async fanOut(m: EntityManager, accountId: string, inputs: PublishInput[], webhooks: WebhookEntity[], campaignsVersion: number, now: Date): Promise<FanOut> {
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
    const deliveries: DeliveryEntity[] = [];
    if (!fresh.length) return { out, events: [], deliveries };
    // 3. Fan-out: the account's live webhooks, each compiled matcher evaluated once per event.
    // One query loads the campaigns that is_conversion needs and those whose own webhook may hear these events.
    const campaignIds = new Set(campaignsToLoad(fresh.map((f) => f.event), webhooks));
    for (const { event } of fresh) {
      const id = campaignOf(event);
      if (id) campaignIds.add(id);
    }
    const campaigns = campaignIds.size ? await this.campaignRows.get(m, accountId, campaignsVersion, [...campaignIds]) : [];
    const ctx = campaigns.length ? contextFromCampaigns(campaigns) : NO_CAMPAIGNS;
    const campaignById = new Map(campaigns.map((c) => [c.id, c]));
    for (const { event, input, result } of fresh) {
      const delaySeconds = input.deliverAfterSeconds ?? findEventType(event.type)?.defaultDelaySeconds ?? 0;
      const due = new Date(now.getTime() + delaySeconds * 1000);
      const targets: { webhookId: string | null; url: string | null }[] = matchingWebhooks(event, webhooks, this.matchers, ctx).map((w) => ({ webhookId: w.id, url: null }));
      if (input.webhookUrl) {
        const wanted = input.webhookEvents?.length ? input.webhookEvents : [event.type];
        if (compileMatcher({ events: wanted })(event, ctx)) targets.push({ webhookId: null, url: input.webhookUrl });
      }
      const campaignId = campaignOf(event);
      const campaignUrl = campaignId === undefined ? undefined : campaignTarget(event, campaignById.get(campaignId), ctx);
      if (campaignUrl) targets.push({ webhookId: null, url: campaignUrl });
      for (const t of targets) {
        deliveries.push(newDelivery({ accountId, eventId: event.id, webhookId: t.webhookId, targetUrl: t.url, nextAttemptAt: due }, now));
      }
      result.deliveryCount = targets.length;
      if (targets.length) result.firstDueAt = due;
    }
    if (deliveries.some((d) => d.targetUrl !== null)) await this.ensureAccountSecret(m, accountId);
    return { out, events: fresh.map((f) => f.event), deliveries };
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

  list(accountId: string, args: { first?: number | null; after?: string | null; newestFirst?: boolean | null; type?: string | null; since?: Date | null }): Promise<Page<EventEntity>> {
    const qb = this.ds.getRepository(EventEntity).createQueryBuilder('e').where('e.account_id = :accountId', { accountId });
    if (args.type) {
      const base = baseEventType(args.type) ?? args.type;
      qb.andWhere('e.type = :type', { type: base });
    }
    if (args.since) qb.andWhere('e.occurred_at >= :since', { since: args.since });
    return pageById(qb, args);
  }
}
