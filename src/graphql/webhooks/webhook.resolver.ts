import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Context, principalOf } from '../../context';
import type { Filters } from '../../domain/filters';
import { toConnection } from '../common/connection';
import { CreateWebhookInput, UpdateWebhookInput, WebhookFilter } from './webhook.inputs';
import { Webhook, WebhookConnection, WebhookSecret, WebhookWithSecret } from './webhook.type';

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => Webhook, { description: 'A webhook of your account (also a soft-deleted one).' })
  async webhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.webhooks.get(principalOf(ctx).account.id, id, { includeDeleted: true });
  }

  @Query(() => WebhookConnection)
  async webhooks(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => WebhookFilter, { nullable: true }) filter?: WebhookFilter,
  ) {
    return toConnection(await ctx.services.webhooks.list(principalOf(ctx).account.id, { first, after, filter }));
  }

  @Query(() => WebhookSecret, { description: 'The signing secret(s) of a webhook.' })
  async webhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const webhook = await ctx.services.webhooks.get(principalOf(ctx).account.id, id);
    return ctx.services.webhooks.secrets(webhook);
  }

  @Mutation(() => WebhookWithSecret)
  async createWebhook(@Arg('input', () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() ctx: Context) {
    const { account, apiKey } = principalOf(ctx);
    return ctx.services.webhooks.create(account.id, apiKey.id, { ...input, filters: input.filters as Filters | null, payloadFormat: input.payloadFormat });
  }

  @Mutation(() => Webhook)
  async updateWebhook(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookInput) input: UpdateWebhookInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.webhooks.update(principalOf(ctx).account.id, id, { ...input, filters: input.filters as Filters | null | undefined });
  }

  @Mutation(() => Webhook, { description: 'Soft delete: the webhook stops receiving and leaves lists; its history stays.' })
  async deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.webhooks.delete(principalOf(ctx).account.id, id);
  }

  @Mutation(() => WebhookWithSecret, { description: 'New secret (given or generated); the old one keeps signing for 24 h.' })
  async rotateWebhookSecret(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Arg('secret', () => String, { nullable: true }) secret?: string,
  ) {
    return ctx.services.webhooks.rotateSecret(principalOf(ctx).account.id, id, secret);
  }
}
