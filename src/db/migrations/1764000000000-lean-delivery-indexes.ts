import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Drops `ix_deliveries_lease` (status, locked_until). Its one reader, the lease reaper, looks only at
 * IN_FLIGHT rows, which are few (bounded by the workers' concurrency) and found through the status
 * prefix of `ix_deliveries_claim`; every claim and every result paid for updating it.
 */
export class LeanDeliveryIndexes1764000000000 implements MigrationInterface {
  name = 'LeanDeliveryIndexes1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('deliveries', 'ix_deliveries_lease');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createIndex('deliveries', new TableIndex({ name: 'ix_deliveries_lease', columnNames: ['status', 'locked_until'] }));
  }
}
