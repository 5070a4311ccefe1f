import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { LeanDeliveryIndexes1764000000000 } from './1764000000000-lean-delivery-indexes';
import { RestFaces1764100000000 } from './1764100000000-rest-faces';
import { WebhookSetVersion1764400000000 } from './1764400000000-webhook-set-version';
import { CampaignSetVersion1764500000000 } from './1764500000000-campaign-set-version';

/** Every migration, oldest first (imported, not globbed, so ts and compiled js behave the same). */
export const MIGRATIONS = [InitialSchema1763900000000, LeanDeliveryIndexes1764000000000, RestFaces1764100000000, WebhookSetVersion1764400000000, CampaignSetVersion1764500000000];
