import type { CampaignEntity } from '../db/entities/campaign.entity';
import { WebhookEntity } from '../db/entities/webhook.entity';
import { campaignIdsNeeded, compileMatcher, MatchableEvent, MatchContext } from './filters';

type Matcher = ReturnType<typeof compileMatcher>;

/** Compiled matchers by webhook id and version, so fan-out never recompiles an unchanged webhook. */
export class MatcherCache {
  private readonly byId = new Map<string, { version: number; match: Matcher }>();

  constructor(private readonly max = 10_000) {}

  get(webhook: WebhookEntity): Matcher {
    const version = webhook.updatedAt.getTime();
    const hit = this.byId.get(webhook.id);
    if (hit && hit.version === version) return hit.match;
    if (this.byId.size >= this.max) this.byId.delete(this.byId.keys().next().value as string);
    const matchSub = compileMatcher({ events: webhook.events, filters: webhook.filters });
    const agentId = webhook.agentId;
    // An agent's webhook hears only events that carry its agent_id, whatever its filters say.
    const match: Matcher = agentId === null ? matchSub : (event, ctx) => event.payload.agent_id === agentId && matchSub(event, ctx);
    this.byId.set(webhook.id, { version, match });
    return match;
  }
}

/** The campaign ids whose conversion outcomes the matchers need for these events. */
export function campaignsToLoad(events: readonly MatchableEvent[], webhooks: readonly WebhookEntity[]): string[] {
  return campaignIdsNeeded(events, webhooks.map((w) => ({ events: w.events, filters: w.filters })));
}

/** The webhooks an event goes to: the one matcher decides, evaluated once here at fan-out. */
export function matchingWebhooks(event: MatchableEvent, webhooks: readonly WebhookEntity[], cache: MatcherCache, ctx: MatchContext): WebhookEntity[] {
  return webhooks.filter((w) => cache.get(w)(event, ctx));
}

/** The campaign whose own webhook may hear this event: the `campaign_id` of a campaign.* or call.* event. */
export function campaignOf(event: MatchableEvent): string | undefined {
  if (!event.type.startsWith('campaign.') && !event.type.startsWith('call.')) return undefined;
  const id = event.payload.campaign_id;
  return typeof id === 'string' ? id : undefined;
}

/** The campaign's own target for this event, if it has one and wants this event (all its events when it names none). */
export function campaignTarget(event: MatchableEvent, campaign: CampaignEntity | undefined, ctx: MatchContext): string | undefined {
  if (!campaign?.webhookUrl) return undefined;
  if (campaign.webhookEvents && !compileMatcher({ events: campaign.webhookEvents })(event, ctx)) return undefined;
  return campaign.webhookUrl;
}
