import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An agent of the producer (its id is the producer's own, as in the Talkover API); its webhooks hear only its events. */
@Entity('agents')
export class AgentEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @PrimaryColumn({ type: 'varchar', length: 120 }) id: string;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
