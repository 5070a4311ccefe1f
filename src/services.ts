import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { AgentService } from './domain/agents.service';
import { AccountService, ApiKeyService } from './domain/api-keys.service';
import { CampaignService } from './domain/campaigns.service';
import { ConsoleQueries } from './domain/console-queries';
import { DeliveryService } from './domain/deliveries.service';
import type { DomainEvents } from './domain/domain-events';
import { EventService } from './domain/events.service';
import { IdempotencyService } from './domain/idempotency.service';
import { KeyLimits } from './domain/key-limits';
import { SecretBox } from './domain/secret-box';
import { WebhookService } from './domain/webhooks.service';
import type { LookupAll } from './net/address-policy';
import { Outbox } from './outbox/outbox';

/** The domain services, built once at bootstrap and handed to resolvers through the context. */
export interface Services {
  ds: DataSource;
  config: Config;
  box: SecretBox;
  accounts: AccountService;
  apiKeys: ApiKeyService;
  webhooks: WebhookService;
  campaigns: CampaignService;
  agents: AgentService;
  events: EventService;
  deliveries: DeliveryService;
  idempotency: IdempotencyService;
  /** Timeline, filter dry-run and batched lookups (the operator console's reads). */
  console: ConsoleQueries;
  /** Per-API-key rate and socket limits of this process. */
  limits: KeyLimits;
  /** The delivery rows' one owner (enqueue, claim, record, requeue…). */
  outbox: Outbox;
}

export function createServices(ds: DataSource, config: Config, deps: { events?: DomainEvents; lookupAll?: LookupAll } = {}): Services {
  const box = new SecretBox(config.HOOKLINE_MASTER_KEY);
  const guard = { allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS, lookupAll: deps.lookupAll };
  const outbox = new Outbox(ds);
  const webhooks = new WebhookService(ds, box, guard, deps.events);
  const events = new EventService(ds, box, outbox, guard, deps.events);
  const campaigns = new CampaignService(ds, (url, field) => webhooks.targetViolation(url, field));
  // A campaign status change is announced to subscribers as an event of its own.
  campaigns.onStatusChange = async (accountId, c, previous) => {
    await events.publish(accountId, [
      {
        type: c.status === 'ACTIVE' ? 'campaign.activated' : 'campaign.paused',
        payload: { campaign_id: c.id, name: c.name, status: c.status, previous_status: previous, conversion_outcomes: c.conversionOutcomes },
      },
    ]);
  };
  return {
    ds,
    config,
    box,
    accounts: new AccountService(ds),
    apiKeys: new ApiKeyService(ds),
    webhooks,
    campaigns,
    agents: new AgentService(ds),
    events,
    deliveries: new DeliveryService(ds, webhooks, outbox, deps.events),
    idempotency: new IdempotencyService(ds, box),
    console: new ConsoleQueries(ds),
    limits: new KeyLimits({
      requestsPerSecond: config.HOOKLINE_KEY_REQUESTS_PER_SECOND,
      eventsPerSecond: config.HOOKLINE_KEY_EVENTS_PER_SECOND,
      maxSockets: config.HOOKLINE_KEY_MAX_SOCKETS,
    }),
    outbox,
  };
}
