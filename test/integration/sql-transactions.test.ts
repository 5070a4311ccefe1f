import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { oneTripTransaction, twoTripTransaction, type Statement } from '../../src/db/sql';
import { createTestDatabase, DbKind, TestDatabase } from '../helpers/db';

const insert = (id: number, note = 'x'): Statement => ({ sql: 'INSERT INTO trip_rows (id, note) VALUES (?, ?)', values: [id, note] });

/**
 * The hot paths' transactions send several statements per query on MySQL (START with a read, writes
 * with COMMIT). What they promise: a statement that fails stops the rest, so COMMIT never follows it,
 * and nothing of the transaction stays; the connection is fine afterwards.
 */
describe.each<DbKind>(['mysql', 'sqlite'])('transactions in one or two trips (%s)', (kind) => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    ds = await openDatabase(kind === 'mysql' ? { type: 'mysql', url: db.url } : { type: 'better-sqlite3', path: db.url }, { poolSize: 2 });
    await ds.query('CREATE TABLE trip_rows (id INT PRIMARY KEY, note VARCHAR(100) NOT NULL)');
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  const ids = async () => (await ds.query('SELECT id FROM trip_rows ORDER BY id')).map((r: { id: number }) => Number(r.id));

  it('oneTripTransaction commits every write and returns each one\'s affected rows', async () => {
    const affected = await oneTripTransaction(ds, [insert(1), insert(2), { sql: "UPDATE trip_rows SET note = 'y' WHERE id IN (?, ?, ?)", values: [1, 2, 99] }], 'READ COMMITTED');
    expect(affected).toEqual([1, 1, 2]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('oneTripTransaction keeps nothing when a statement in the middle fails, and the pool goes on', async () => {
    // The second insert repeats a primary key: the first insert of the same query must not stay.
    await expect(oneTripTransaction(ds, [insert(10), insert(1), insert(11)])).rejects.toThrow(/duplicate|unique/i);
    expect(await ids()).toEqual([1, 2]);
    // Every pooled connection still works (none is left inside a transaction).
    for (let i = 0; i < 4; i++) expect(await oneTripTransaction(ds, [insert(20 + i)])).toEqual([1]);
    expect(await ids()).toEqual([1, 2, 20, 21, 22, 23]);
  });

  it('twoTripTransaction reads in its first trip, writes with its COMMIT, and keeps nothing when a write fails', async () => {
    const out = await twoTripTransaction(ds, { sql: 'SELECT COUNT(*) AS n FROM trip_rows WHERE id < ?', values: [20] }, async (_m, rows) => ({
      result: Number(rows[0].n),
      writes: [insert(30), insert(31)],
    }));
    expect(out).toBe(2);
    await expect(
      twoTripTransaction(ds, { sql: 'SELECT 1 AS one', values: [] }, async () => ({ result: null, writes: [insert(40), insert(30), insert(41)] })),
    ).rejects.toThrow(/duplicate|unique/i);
    // A failure in the work itself, before any write was sent, rolls back too.
    await expect(twoTripTransaction(ds, { sql: 'SELECT 1 AS one', values: [] }, async () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
    expect(await ids()).toEqual([1, 2, 20, 21, 22, 23, 30, 31]);
  });
});
