import DataLoader from 'dataloader';
import type { Context } from '../../context';
import { principalOf } from '../../context';
import type { DeliveryAttemptEntity, DeliveryEntity, EventEntity, WebhookEntity } from '../../db/entities';

/** Batch loaders for nested fields, so a page of N rows costs one query per field, not N. */
export interface Loaders {
  attempts: DataLoader<string, DeliveryAttemptEntity[]>;
  event: DataLoader<string, EventEntity>;
  webhook: DataLoader<string, WebhookEntity>;
  deliveriesOfEvent: DataLoader<string, DeliveryEntity[]>;
}

const perContext = new WeakMap<Context, Loaders>();

/**
 * The loaders of one request (or one subscription), made on first use. Caching is off: a
 * subscription's context lives as long as its socket, and a delivery's attempts must be read
 * fresh each time it is pushed; batching within one tick is what keeps a page to a few queries.
 */
export function loadersOf(ctx: Context): Loaders {
  let loaders = perContext.get(ctx);
  if (loaders) return loaders;
  const accountId = () => principalOf(ctx).account.id;
  const { deliveries, console: queries } = ctx.services;
  const opts = { cache: false } as const;
  loaders = {
    attempts: new DataLoader(async (ids) => {
      const byDelivery = await deliveries.attemptsOf(ids);
      return ids.map((id) => byDelivery.get(id) ?? []);
    }, opts),
    event: new DataLoader((ids) => queries.eventsByIds(accountId(), ids), opts),
    webhook: new DataLoader((ids) => queries.webhooksByIds(accountId(), ids), opts),
    deliveriesOfEvent: new DataLoader((ids) => queries.deliveriesOfEvents(accountId(), ids), opts),
  };
  perContext.set(ctx, loaders);
  return loaders;
}
