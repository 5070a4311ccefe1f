import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { AccountService, ApiKeyService } from './domain/api-keys.service';
import { CampaignService } from './domain/campaigns.service';
import { DeliveryService } from './domain/deliveries.service';
import type { DomainEvents } from './domain/domain-events';
import { EventService } from './domain/events.service';
import { IdempotencyService } from './domain/idempotency.service';
import { SecretBox } from './domain/secret-box';
import { WebhookService } from './domain/webhooks.service';
import type { LookupAll } from './delivery/ssrf';
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
  events: EventService;
  deliveries: DeliveryService;
  idempotency: IdempotencyService;
  /** The delivery rows' one owner (enqueue, claim, record, requeue…). */
  outbox: Outbox;
}

export function createServices(ds: DataSource, config: Config, deps: { events?: DomainEvents; lookupAll?: LookupAll } = {}): Services {
  const box = new SecretBox(config.HOOKLINE_MASTER_KEY);
  const guard = { allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS, lookupAll: deps.lookupAll };
  const outbox = new Outbox(ds);
  const webhooks = new WebhookService(ds, box, guard, deps.events);
  const events = new EventService(ds, box, outbox, guard, deps.events);
  const campaigns = new CampaignService(ds);
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
    events,
    deliveries: new DeliveryService(ds, webhooks, outbox, deps.events),
    idempotency: new IdempotencyService(ds),
    outbox,
  };
}
