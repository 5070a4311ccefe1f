import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * What the seed REST faces need: agents (producer-owned ids scoping webhooks), a webhook's payload
 * format, hex-signature header name and agent, and a campaign's own webhook target. Table API only,
 * so the one migration serves MySQL/MariaDB and SQLite.
 */
export class RestFaces1764100000000 implements MigrationInterface {
  name = 'RestFaces1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'agents',
        columns: [
          { name: 'account_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'id', type: 'varchar', length: '120', isPrimary: true },
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
    await q.addColumns('webhooks', [
      new TableColumn({ name: 'payload_format', type: 'varchar', length: '16', default: "'ENVELOPE'" }),
      new TableColumn({ name: 'signature_header', type: 'varchar', length: '100', default: "'x-hookline-signature'" }),
      new TableColumn({ name: 'agent_id', type: 'varchar', length: '120', isNullable: true }),
    ]);
    await q.createIndex('webhooks', new TableIndex({ name: 'ix_webhooks_agent', columnNames: ['account_id', 'agent_id', 'id'] }));
    await q.addColumns('campaigns', [
      new TableColumn({ name: 'webhook_url', type: 'varchar', length: '500', isNullable: true }),
      new TableColumn({ name: 'webhook_events', type: 'text', isNullable: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('campaigns', ['webhook_url', 'webhook_events']);
    await q.dropIndex('webhooks', 'ix_webhooks_agent');
    await q.dropColumns('webhooks', ['payload_format', 'signature_header', 'agent_id']);
    await q.dropTable('agents');
  }
}
