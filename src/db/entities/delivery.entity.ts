import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'PENDING' | 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED';

/**
 * One event for one webhook: the outbox row the engine claims. `webhookId` is null for a one-off
 * target given with the event (`targetUrl` then holds it).
 */
@Entity('deliveries')
export class DeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @Column({ name: 'event_id', type: 'varchar', length: 36 }) eventId: string;
  @Column({ name: 'webhook_id', type: 'varchar', length: 36, nullable: true }) webhookId: string | null;
  @Column({ name: 'target_url', type: 'varchar', length: 500, nullable: true }) targetUrl: string | null;
  @Column({ type: 'varchar', length: 16 }) status: DeliveryStatus;
  @Column({ name: 'attempt_count', type: 'int' }) attemptCount: number;
  /** attemptCount when the delivery was last re-queued by hand: the retry budget counts from here. */
  @Column({ name: 'attempt_base', type: 'int', default: 0 }) attemptBase: number;
  /** How the next attempt is recorded: SCHEDULED, or MANUAL after redeliver/replay. */
  @Column({ name: 'next_trigger', type: 'varchar', length: 16 }) nextTrigger: 'SCHEDULED' | 'MANUAL' | 'TEST';
  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'locked_until', type: 'datetime', precision: 3, nullable: true }) lockedUntil: Date | null;
  @Column({ name: 'lease_token', type: 'varchar', length: 36, nullable: true }) leaseToken: string | null;
  @Column({ name: 'last_response_status', type: 'int', nullable: true }) lastResponseStatus: number | null;
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true }) lastError: string | null;
  @Column({ name: 'succeeded_at', type: 'datetime', precision: 3, nullable: true }) succeededAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
