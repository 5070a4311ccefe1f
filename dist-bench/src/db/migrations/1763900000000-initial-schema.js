"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.InitialSchema1763900000000 = void 0;
const typeorm_1 = require("typeorm");
/**
 * The whole domain, written with the QueryRunner table API so that one migration serves MySQL/MariaDB
 * and SQLite. Large JSON columns are LONGTEXT on MySQL (TEXT caps at 64 KiB there).
 */
class InitialSchema1763900000000 {
    name = 'InitialSchema1763900000000';
    async up(q) {
        const mysql = q.connection.options.type === 'mysql' || q.connection.options.type === 'mariadb';
        const big = mysql ? 'longtext' : 'text';
        const id = (name = 'id', primary = true) => ({
            name,
            type: 'varchar',
            length: '36',
            isPrimary: primary,
        });
        const ref = (name, nullable = false) => ({
            name,
            type: 'varchar',
            length: '36',
            isNullable: nullable,
        });
        const str = (name, length, nullable = false) => ({
            name,
            type: 'varchar',
            length: String(length),
            isNullable: nullable,
        });
        const time = (name, nullable = false) => ({
            name,
            type: 'datetime',
            precision: 3,
            isNullable: nullable,
        });
        const int = (name, nullable = false, dflt) => ({
            name,
            type: 'int',
            isNullable: nullable,
            default: dflt,
        });
        const text = (name, nullable = false, type = 'text') => ({
            name,
            type,
            isNullable: nullable,
        });
        const index = (columnNames, isUnique = false, name) => new typeorm_1.TableIndex({ columnNames, isUnique, name });
        await q.createTable(new typeorm_1.Table({ name: 'accounts', columns: [id(), str('name', 255), str('signing_secret_sealed', 512, true), time('created_at')] }));
        await q.createTable(new typeorm_1.Table({
            name: 'api_keys',
            columns: [
                id(),
                ref('account_id'),
                str('name', 255),
                str('prefix', 32),
                str('hash', 64),
                time('last_used_at', true),
                time('revoked_at', true),
                time('created_at'),
            ],
            indices: [index(['prefix'], true, 'uq_api_keys_prefix'), index(['account_id', 'id'], false, 'ix_api_keys_account')],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'webhooks',
            columns: [
                id(),
                ref('account_id'),
                str('name', 255),
                str('url', 500),
                text('events'),
                text('filters', true),
                str('secret_sealed', 512),
                str('previous_secret_sealed', 512, true),
                time('previous_secret_expires_at', true),
                int('timeout_seconds'),
                int('max_retries'),
                { name: 'enabled', type: 'boolean' },
                str('status', 20),
                str('disabled_reason', 500, true),
                text('headers', true),
                ref('created_by_api_key_id', true),
                time('failing_since', true),
                int('consecutive_failures', false, 0),
                time('created_at'),
                time('updated_at'),
                time('deleted_at', true),
            ],
            indices: [index(['account_id', 'deleted_at', 'id'], false, 'ix_webhooks_account')],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'events',
            columns: [
                id(),
                ref('account_id'),
                str('type', 120),
                text('payload', false, big),
                time('occurred_at'),
                str('idempotency_key', 255, true),
                time('created_at'),
            ],
            indices: [
                index(['account_id', 'idempotency_key'], true, 'uq_events_idempotency'),
                index(['account_id', 'id'], false, 'ix_events_account'),
                index(['account_id', 'type', 'id'], false, 'ix_events_account_type'),
            ],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'deliveries',
            columns: [
                id(),
                ref('account_id'),
                ref('event_id'),
                ref('webhook_id', true),
                str('target_url', 500, true),
                str('status', 16),
                int('attempt_count'),
                int('attempt_base', false, 0),
                str('next_trigger', 16, false),
                time('next_attempt_at', true),
                time('locked_until', true),
                str('lease_token', 36, true),
                int('last_response_status', true),
                str('last_error', 500, true),
                time('succeeded_at', true),
                time('created_at'),
                time('updated_at'),
            ],
            indices: [
                // The claimer: WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at.
                index(['status', 'next_attempt_at'], false, 'ix_deliveries_claim'),
                // The lease reaper: WHERE status = 'IN_FLIGHT' AND locked_until < ?.
                index(['status', 'locked_until'], false, 'ix_deliveries_lease'),
                index(['webhook_id', 'id'], false, 'ix_deliveries_webhook'),
                index(['event_id'], false, 'ix_deliveries_event'),
                index(['account_id', 'id'], false, 'ix_deliveries_account'),
            ],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'delivery_attempts',
            columns: [
                id(),
                ref('delivery_id', true),
                ref('webhook_id', true),
                ref('account_id'),
                int('number'),
                str('trigger', 16),
                time('started_at'),
                int('duration_ms'),
                int('response_status', true),
                text('response_body', true),
                str('error_kind', 20, true),
                str('error', 500, true),
                time('next_attempt_at', true),
            ],
            indices: [
                index(['delivery_id', 'number'], false, 'ix_attempts_delivery'),
                index(['webhook_id', 'started_at'], false, 'ix_attempts_webhook_time'),
            ],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'campaigns',
            columns: [
                { ...ref('account_id'), isPrimary: true },
                { ...str('id', 120), isPrimary: true },
                str('name', 255),
                text('conversion_outcomes'),
                str('status', 16),
                time('created_at'),
                time('updated_at'),
            ],
        }));
        await q.createTable(new typeorm_1.Table({
            name: 'idempotency_records',
            columns: [
                { ...ref('account_id'), isPrimary: true },
                { ...str('idem_key', 255), isPrimary: true },
                str('request_hash', 64),
                str('state', 16),
                int('response_status', true),
                text('response_body', true, big),
                time('locked_until'),
                time('expires_at'),
                time('created_at'),
            ],
            indices: [index(['expires_at'], false, 'ix_idempotency_expiry')],
        }));
    }
    async down(q) {
        for (const t of [
            'idempotency_records',
            'campaigns',
            'delivery_attempts',
            'deliveries',
            'events',
            'webhooks',
            'api_keys',
            'accounts',
        ]) {
            await q.dropTable(t);
        }
    }
}
exports.InitialSchema1763900000000 = InitialSchema1763900000000;
