import type { DeliveryEntity, EventEntity } from '../db/entities';

/** A delivery's state as subscribers see it (no lease internals). */
export type DeliverySnapshot = Omit<DeliveryEntity, 'lockedUntil' | 'leaseToken' | 'attemptBase' | 'nextTrigger'>;

/**
 * What the domain announces after a commit. Pub/sub, the delivery engine's wake-up and caches listen;
 * the domain imports none of them.
 */
export interface DomainEvents {
  /** A webhook of this account was created, changed or deleted. */
  webhookChanged(accountId: string): void;
  /** Events committed together with `deliveryCount` new or re-queued delivery rows, the first due at `firstDueAt`. */
  eventsPublished(accountId: string, events: EventEntity[], deliveryCount: number, firstDueAt?: Date): void;
  /** Deliveries changed state (attempted, retried, succeeded, failed, re-queued). */
  deliveriesUpdated(deliveries: DeliverySnapshot[]): void;
}

/** Fans one announcement out to many listeners; a failing listener never breaks the domain. */
export class DomainEventBus implements DomainEvents {
  private readonly listeners: Partial<DomainEvents>[] = [];

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  subscribe(listener: Partial<DomainEvents>): void {
    this.listeners.push(listener);
  }

  private emit<K extends keyof DomainEvents>(name: K, args: Parameters<DomainEvents[K]>): void {
    for (const l of this.listeners) {
      const fn = l[name] as ((...a: unknown[]) => void) | undefined;
      if (!fn) continue;
      try {
        fn.apply(l, args);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  webhookChanged(accountId: string) {
    this.emit('webhookChanged', [accountId]);
  }
  eventsPublished(accountId: string, events: EventEntity[], deliveryCount: number, firstDueAt?: Date) {
    this.emit('eventsPublished', [accountId, events, deliveryCount, firstDueAt]);
  }
  deliveriesUpdated(deliveries: DeliverySnapshot[]) {
    this.emit('deliveriesUpdated', [deliveries]);
  }
}
