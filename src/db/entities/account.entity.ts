import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('accounts')
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 255 }) name: string;
  /** Signs deliveries to one-off targets given with an event (webhookUrl); created on first use. */
  @Column({ name: 'signing_secret_sealed', type: 'varchar', length: 512, nullable: true }) signingSecretSealed: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
