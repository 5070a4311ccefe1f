import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from './columns';

@Entity('events')
export class EventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @Column({ type: 'varchar', length: 120 }) type: string;
  @Column({ type: 'text', transformer: jsonText }) payload: Record<string, any>;
  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 }) occurredAt: Date;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true }) idempotencyKey: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
