import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * `accounts.campaigns_version`: bumped in the same transaction as every change to an account's
 * campaigns, so that a publish can keep the campaign rows fan-out needs in memory and tell, in the
 * same read as the webhook-set stamp, whether they are still the database's
 * (domain/campaign-cache.ts). Read and written by raw SQL only.
 */
export class CampaignSetVersion1764500000000 implements MigrationInterface {
  name = 'CampaignSetVersion1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('accounts', new TableColumn({ name: 'campaigns_version', type: 'int', isNullable: false, default: 0 }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('accounts', 'campaigns_version');
  }
}
