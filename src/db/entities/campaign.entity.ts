import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from './columns';

export type CampaignStatus = 'ACTIVE' | 'PAUSED';

/** A campaign mirrored from the producer (its id is the producer's own), for is_conversion. */
@Entity('campaigns')
export class CampaignEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @PrimaryColumn({ type: 'varchar', length: 120 }) id: string;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ name: 'conversion_outcomes', type: 'text', transformer: jsonText }) conversionOutcomes: string[];
  @Column({ type: 'varchar', length: 16 }) status: CampaignStatus;
  /** The campaign's own target: its campaign.* events and the call.* events naming it go here. */
  @Column({ name: 'webhook_url', type: 'varchar', length: 500, nullable: true }) webhookUrl: string | null;
  @Column({ name: 'webhook_events', type: 'text', nullable: true, transformer: jsonText }) webhookEvents: string[] | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
