import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Context, principalOf } from '../../context';
import { DomainError, ErrorCode } from '../../domain/errors';
import { NEWEST_FIRST, toConnection } from '../common/connection';
import { loadersOf } from '../common/loaders';
import { checkPageSize, MAX_PAGE_SIZE } from '../../domain/pagination';
import { Event } from '../events/event.type';
import { Webhook } from '../webhooks/webhook.type';
import { Delivery, DeliveryAttempt, DeliveryConnection, DeliveryStatusEnum, ReplayResult, WebhookStats } from './delivery.type';

@Resolver(() => Delivery)
export class DeliveryResolver {
  @Query(() => Delivery)
  delivery(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.deliveries.get(principalOf(ctx).account.id, id);
  }

  @Query(() => DeliveryConnection, { description: 'Deliveries, oldest first.' })
  async deliveries(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('webhookId', () => ID, { nullable: true }) webhookId?: string,
    @Arg('eventId', () => ID, { nullable: true }) eventId?: string,
    @Arg('status', () => DeliveryStatusEnum, { nullable: true }) status?: DeliveryStatusEnum,
    @Arg('newestFirst', () => Boolean, { nullable: true, description: NEWEST_FIRST }) newestFirst?: boolean,
  ) {
    return toConnection(await ctx.services.deliveries.list(principalOf(ctx).account.id, { first, after, webhookId, eventId, status, newestFirst }));
  }

  @FieldResolver(() => [DeliveryAttempt], { description: 'Attempts by number, oldest first (the first `first`, 1–100).' })
  async attempts(@Root() d: Delivery, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: MAX_PAGE_SIZE }) first: number) {
    const n = checkPageSize(first);
    return (await loadersOf(ctx).attempts.load(d.id)).slice(0, n);
  }

  @FieldResolver(() => Event)
  event(@Root() d: Delivery, @Ctx() ctx: Context) {
    return loadersOf(ctx).event.load(d.eventId);
  }

  @FieldResolver(() => Webhook, { nullable: true })
  webhook(@Root() d: Delivery, @Ctx() ctx: Context) {
    return d.webhookId ? loadersOf(ctx).webhook.load(d.webhookId) : null;
  }

  @Mutation(() => Delivery, { description: 'Queues the delivery again now (trigger MANUAL, fresh retry budget).' })
  redeliver(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: Context) {
    return ctx.services.deliveries.redeliver(principalOf(ctx).account.id, deliveryId);
  }

  @Mutation(() => ReplayResult, { description: 'Re-queues the events of [since, until) for one webhook; onlyFailed limits it to FAILED deliveries.' })
  async replayWebhook(
    @Arg('id', () => ID) id: string,
    @Arg('since', () => Date) since: Date,
    @Ctx() ctx: Context,
    @Arg('until', () => Date, { nullable: true }) until?: Date,
    @Arg('onlyFailed', () => Boolean, { nullable: true }) onlyFailed?: boolean,
  ) {
    return { count: await ctx.services.deliveries.replayWebhook(principalOf(ctx).account.id, id, { since, until, onlyFailed }) };
  }

  @Mutation(() => DeliveryAttempt, { description: 'Sends webhook.test (or the example of eventType) right now and returns the attempt.' })
  testWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Arg('eventType', () => String, { nullable: true }) eventType?: string) {
    if (!ctx.tester) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'testWebhook is unavailable', { id: ['no sender configured'] });
    return ctx.tester.test(principalOf(ctx).account.id, id, eventType);
  }
}

/** What one `Webhook.stats` costs in the operation cost limit (see graphql/limits). @default 200 */
export const STATS_COST = 200;

@Resolver(() => Webhook)
export class WebhookDeliveriesResolver {
  @FieldResolver(() => DeliveryConnection)
  async deliveries(
    @Root() w: Webhook,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('status', () => DeliveryStatusEnum, { nullable: true }) status?: DeliveryStatusEnum,
    @Arg('newestFirst', () => Boolean, { nullable: true, description: NEWEST_FIRST }) newestFirst?: boolean,
  ) {
    return toConnection(await ctx.services.deliveries.list(principalOf(ctx).account.id, { first, after, webhookId: w.id, status, newestFirst }));
  }

  // Reads up to 100,000 attempt rows: priced like two full pages so that a list of webhooks with stats stays affordable but bounded.
  @FieldResolver(() => WebhookStats)
  @Extensions({ cost: STATS_COST })
  stats(@Root() w: Webhook, @Ctx() ctx: Context, @Arg('hours', () => Int, { nullable: true, defaultValue: 24 }) hours: number) {
    return ctx.services.deliveries.stats(w.id, Math.min(Math.max(hours, 1), 24 * 90));
  }
}
