import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * `accounts.webhooks_version`: bumped in the same transaction as every change to an account's
 * webhooks, so that a publish in any process can tell with one cheap read whether the webhook set it
 * cached is still the one in the database (domain/webhook-sets.ts). Read and written by raw SQL only.
 */
export class WebhookSetVersion1764400000000 implements MigrationInterface {
  name = 'WebhookSetVersion1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('accounts', new TableColumn({ name: 'webhooks_version', type: 'int', isNullable: false, default: 0 }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('accounts', 'webhooks_version');
  }
}
