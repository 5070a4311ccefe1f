import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An API key: only its lookup prefix and SHA-256 hash are stored; the token is shown once. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'varchar', length: 32 }) prefix: string;
  @Column({ type: 'varchar', length: 64 }) hash: string;
  @Column({ name: 'last_used_at', type: 'datetime', precision: 3, nullable: true }) lastUsedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true }) revokedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
