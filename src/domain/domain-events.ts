/**
 * What the domain announces after a commit. Pub/sub, the delivery engine's wake-up and caches listen;
 * the domain imports none of them.
 */
export interface DomainEvents {
  /** A webhook of this account was created, changed or deleted (fan-out caches drop the account). */
  webhookChanged(accountId: string): void;
}
