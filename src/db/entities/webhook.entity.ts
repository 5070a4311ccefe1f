import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from './columns';
import type { Filters } from '../../domain/filters';

export type WebhookStatus = 'ACTIVE' | 'PAUSED' | 'AUTO_DISABLED';
/** ENVELOPE: `{id,type,timestamp,data}`; DATA: the event's payload itself is the body. */
export type PayloadFormat = 'ENVELOPE' | 'DATA';

/** A webhook subscription. Secrets are stored sealed (see domain/secret-box) and never exposed as fields. */
@Entity('webhooks')
export class WebhookEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'account_id', type: 'varchar', length: 36 }) accountId: string;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'varchar', length: 500 }) url: string;
  @Column({ type: 'text', transformer: jsonText }) events: string[];
  @Column({ type: 'text', nullable: true, transformer: jsonText }) filters: Filters | null;
  @Column({ name: 'secret_sealed', type: 'varchar', length: 512 }) secretSealed: string;
  @Column({ name: 'previous_secret_sealed', type: 'varchar', length: 512, nullable: true })
  previousSecretSealed: string | null;
  @Column({ name: 'previous_secret_expires_at', type: 'datetime', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;
  @Column({ name: 'timeout_seconds', type: 'int' }) timeoutSeconds: number;
  @Column({ name: 'max_retries', type: 'int' }) maxRetries: number;
  @Column({ type: 'boolean' }) enabled: boolean;
  @Column({ type: 'varchar', length: 20 }) status: WebhookStatus;
  @Column({ name: 'disabled_reason', type: 'varchar', length: 500, nullable: true }) disabledReason: string | null;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) headers: Record<string, string> | null;
  @Column({ name: 'created_by_api_key_id', type: 'varchar', length: 36, nullable: true })
  createdByApiKeyId: string | null;
  /** Start of the current run of consecutive failed deliveries (null when the last one succeeded). */
  @Column({ name: 'failing_since', type: 'datetime', precision: 3, nullable: true }) failingSince: Date | null;
  @Column({ name: 'consecutive_failures', type: 'int', default: 0 }) consecutiveFailures: number;
  @Column({ name: 'payload_format', type: 'varchar', length: 16, default: 'ENVELOPE' }) payloadFormat: PayloadFormat;
  /** Name of the hex HMAC-SHA256 header (x-hookline-signature, or x-topcalls-signature for that platform's receivers). */
  @Column({ name: 'signature_header', type: 'varchar', length: 100, default: 'x-hookline-signature' }) signatureHeader: string;
  /** When set, the webhook hears only events whose payload carries this `agent_id`. */
  @Column({ name: 'agent_id', type: 'varchar', length: 120, nullable: true }) agentId: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true }) deletedAt: Date | null;
}
