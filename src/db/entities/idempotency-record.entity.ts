import { Column, Entity, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'RUNNING' | 'DONE';

/** The stored first response to a mutation sent with an Idempotency-Key (kept 24 h). */
@Entity('idempotency_records')
export class IdempotencyRecordEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @PrimaryColumn({ name: 'idem_key', type: 'varchar', length: 255 }) key: string;
  @Column({ name: 'request_hash', type: 'varchar', length: 64 }) requestHash: string;
  @Column({ type: 'varchar', length: 16 }) state: IdempotencyState;
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ name: 'response_body', type: 'text', nullable: true }) responseBody: string | null;
  @Column({ name: 'locked_until', type: 'datetime', precision: 3 }) lockedUntil: Date;
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
