import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Context, principalOf } from '../../context';
import type { Filters } from '../../domain/filters';
import { Webhook } from '../webhooks/webhook.type';
import { MatchPreview, TimelineBucket } from './console.type';

@Resolver(() => Webhook)
export class WebhookTimelineResolver {
  @FieldResolver(() => [TimelineBucket], { description: 'Attempts per time bucket by outcome, with p50/p95 latency, oldest first; every bucket present.' })
  timeline(
    @Root() w: Webhook,
    @Ctx() ctx: Context,
    @Arg('hours', () => Int, { defaultValue: 24 }) hours: number,
    @Arg('bucketMinutes', () => Int, { defaultValue: 15 }) bucketMinutes: number,
  ) {
    return ctx.services.console.timeline(w.id, hours, bucketMinutes);
  }
}

@Resolver()
export class PreviewMatchResolver {
  @Query(() => [MatchPreview], {
    description: "Filter dry-run: the account's last events (newest first) matched against these events and filters by the fan-out engine, with the failed condition of each non-match.",
  })
  previewMatch(
    @Ctx() ctx: Context,
    @Arg('events', () => [String]) events: string[],
    @Arg('filters', () => GraphQLJSONObject, { nullable: true }) filters?: Record<string, unknown> | null,
    @Arg('last', () => Int, { defaultValue: 50 }) last?: number,
  ) {
    return ctx.services.console.previewMatch(principalOf(ctx).account.id, { events, filters: filters as Filters | null }, last ?? 50);
  }
}
