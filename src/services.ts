import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { AccountService, ApiKeyService } from './domain/api-keys.service';
import { CampaignService } from './domain/campaigns.service';
import type { DomainEvents } from './domain/domain-events';
import { IdempotencyService } from './domain/idempotency.service';
import { SecretBox } from './domain/secret-box';
import { WebhookService } from './domain/webhooks.service';
import type { LookupAll } from './delivery/ssrf';

/** The domain services, built once at bootstrap and handed to resolvers through the context. */
export interface Services {
  ds: DataSource;
  accounts: AccountService;
  apiKeys: ApiKeyService;
  webhooks: WebhookService;
  campaigns: CampaignService;
  idempotency: IdempotencyService;
}

export function createServices(ds: DataSource, config: Config, deps: { events?: DomainEvents; lookupAll?: LookupAll } = {}): Services {
  const box = new SecretBox(config.HOOKLINE_MASTER_KEY);
  return {
    ds,
    accounts: new AccountService(ds),
    apiKeys: new ApiKeyService(ds),
    webhooks: new WebhookService(ds, box, { allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS, lookupAll: deps.lookupAll }, deps.events),
    campaigns: new CampaignService(ds),
    idempotency: new IdempotencyService(ds),
  };
}
