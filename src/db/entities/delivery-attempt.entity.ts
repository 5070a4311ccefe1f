import { Column, Entity, PrimaryColumn } from 'typeorm';

export type AttemptTrigger = 'SCHEDULED' | 'MANUAL' | 'TEST';

@Entity('delivery_attempts')
export class DeliveryAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'delivery_id', type: 'varchar', length: 36, nullable: true }) deliveryId: string | null;
  @Column({ name: 'webhook_id', type: 'varchar', length: 36, nullable: true }) webhookId: string | null;
  @Column({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @Column({ type: 'int' }) number: number;
  @Column({ type: 'varchar', length: 16 }) trigger: AttemptTrigger;
  @Column({ name: 'started_at', type: 'datetime', precision: 3 }) startedAt: Date;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs: number;
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ name: 'response_body', type: 'text', nullable: true }) responseBody: string | null;
  @Column({ name: 'error_kind', type: 'varchar', length: 20, nullable: true }) errorKind: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) error: string | null;
  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true }) nextAttemptAt: Date | null;
}
