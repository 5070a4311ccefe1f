import { QueryFailedError, type DataSource, type EntityManager, type ObjectLiteral, type QueryRunner } from 'typeorm';

type Runner = DataSource | EntityManager;

/**
 * Runs SQL with `:name` / `:...list` parameters through TypeORM's driver escaping, so Dates and
 * booleans are written the way each dialect stores them (SQLite keeps UTC text).
 */
export function runSql<T = any>(db: Runner, sql: string, params: Record<string, unknown> = {}): Promise<T> {
  const ds = 'connection' in db ? db.connection : db;
  const [query, values] = ds.driver.escapeQueryWithParameters(sql, params as ObjectLiteral);
  return db.query(query, values);
}

/** A datetime as read by raw SQL: a Date on MySQL, UTC text on SQLite. */
export function parseDbDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);
}

export interface SqlResult {
  affected: number;
  records: any[];
}

/** mysql2's callback connection, as TypeORM's MySQL query runner holds it. */
interface Mysql2Connection {
  query(sql: string, values: unknown[], cb: (err: Error | null, result: unknown) => void): void;
  /** The driver's own client-side escaping, as query() applies it to `values`. */
  format(sql: string, values: unknown[]): string;
}

/** One statement with positional `?` values. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/** Sends one statement on mysql2's callback connection; a failure is TypeORM's QueryFailedError. */
function sendOnMysql(ds: DataSource, qr: QueryRunner, conn: Mysql2Connection, query: string, values: unknown[] = []): Promise<unknown> {
  ds.logger.logQuery(query, values, qr);
  return new Promise<unknown>((resolve, reject) =>
    conn.query(query, values, (err, result) => {
      if (!err) return resolve(result);
      ds.logger.logQueryError(err, query, values, qr);
      reject(new QueryFailedError(query, values, err));
    }),
  );
}

/**
 * One statement straight on mysql2's callback API: the engine's hot path skips what TypeORM's
 * query() adds to every statement here (mysql2's promise wrapper capturing a stack trace per query,
 * subscriber broadcasts, copying the rows). It is still logged through TypeORM's logger, and a
 * failure is TypeORM's QueryFailedError still, with the driver's error inside, as everywhere else.
 */
async function runOnMysql(ds: DataSource, qr: QueryRunner, query: string, values: unknown[]): Promise<SqlResult> {
  const raw = await sendOnMysql(ds, qr, (await qr.connect()) as Mysql2Connection, query, values);
  if (Array.isArray(raw)) return { affected: 0, records: raw };
  return { affected: (raw as { affectedRows?: number } | undefined)?.affectedRows ?? 0, records: [] };
}

/**
 * A pooled MySQL connection for one transaction that `tx` opens and commits itself: TypeORM is told a
 * transaction is active (so save() opens none of its own), any failure sends ROLLBACK before it is
 * rethrown, and the connection goes back to the pool in every case.
 */
async function mysqlTransaction<T>(ds: DataSource, tx: (qr: QueryRunner, conn: Mysql2Connection) => Promise<T>): Promise<T> {
  const qr = ds.createQueryRunner();
  const active = qr as { isTransactionActive: boolean };
  try {
    const conn = (await qr.connect()) as Mysql2Connection;
    active.isTransactionActive = true;
    try {
      return await tx(qr, conn);
    } catch (e) {
      await sendOnMysql(ds, qr, conn, 'ROLLBACK').catch(() => undefined);
      throw e;
    }
  } finally {
    active.isTransactionActive = false;
    await qr.release();
  }
}

/**
 * A transaction for the claimer (and a result write tried again) that does not wait on its own for the
 * answers to SET TRANSACTION and START TRANSACTION: on MySQL they are queued on the connection, and
 * the work's first statements are queued right behind them. mysql2 still sends a connection's
 * statements one at a time (the next one goes out as the previous answer is read, in the same
 * callback), so the round trips to the server stay; what goes is our code's turn of the event loop
 * between them, which under load is the larger wait (publishing and result writes go further:
 * twoTripTransaction, oneTripTransaction). `begun` settles with START's answer: the work must await it
 * before its first write (reads may go ahead of it). COMMIT after the work, ROLLBACK on any failure. SQLite: TypeORM's own
 * transaction (one writer; no isolation levels).
 */
export async function pipelinedTransaction<T>(
  ds: DataSource,
  work: (m: EntityManager, begun: Promise<void>) => Promise<T>,
  isolation?: 'READ COMMITTED',
): Promise<T> {
  if (ds.options.type !== 'mysql' && ds.options.type !== 'mariadb') return ds.transaction((m) => work(m, Promise.resolve()));
  return mysqlTransaction(ds, async (qr, conn) => {
    const started = [isolation ? sendOnMysql(ds, qr, conn, `SET TRANSACTION ISOLATION LEVEL ${isolation}`) : undefined, sendOnMysql(ds, qr, conn, 'START TRANSACTION')];
    const begun = Promise.all(started).then(() => undefined);
    begun.catch(() => undefined);
    const result = await work(qr.manager, begun);
    await begun;
    await sendOnMysql(ds, qr, conn, 'COMMIT');
    return result;
  });
}

/** Runs one statement on the manager's transaction (or a pooled connection) and reads affected rows and rows alike on both drivers. */
async function runStructured(db: Runner, query: string, values: unknown[]): Promise<SqlResult> {
  const ds = 'connection' in db ? db.connection : db;
  const existing = 'connection' in db ? db.queryRunner : undefined;
  const qr = existing ?? ds.createQueryRunner();
  try {
    if (ds.options.type === 'mysql' || ds.options.type === 'mariadb') return await runOnMysql(ds, qr, query, values);
    const r = await qr.query(query, values, true);
    return { affected: r.affected ?? 0, records: Array.isArray(r.records) ? r.records : [] };
  } finally {
    if (!existing) await qr.release();
  }
}

/** Runs a write with `:name` parameters and returns the affected-row count and any rows (RETURNING). */
export function execSql(db: Runner, sql: string, params: Record<string, unknown> = {}): Promise<SqlResult> {
  const ds = 'connection' in db ? db.connection : db;
  const [query, values] = ds.driver.escapeQueryWithParameters(sql, params as ObjectLiteral);
  return runStructured(db, query, values);
}

/** A parameter as the driver wants it: SQLite keeps datetimes as UTC text (TypeORM's format) and booleans as 0/1. */
function driverValue(sqlite: boolean, v: unknown): unknown {
  if (!sqlite) return v;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/**
 * Runs SQL with positional `?` placeholders, skipping TypeORM's named-parameter rewriting: the
 * delivery engine's hot path (claims and batched result writes) builds its statements directly.
 */
export function execPositional(db: Runner, sql: string, params: readonly unknown[]): Promise<SqlResult> {
  const ds = 'connection' in db ? db.connection : db;
  const sqlite = ds.options.type !== 'mysql' && ds.options.type !== 'mariadb';
  return runStructured(db, sql, params.map((v) => driverValue(sqlite, v)));
}

/** `?, ?, ?` for n values. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** A column of a raw multi-row INSERT: its name and how to read it from a row. */
export type ColumnMap<T> = readonly (readonly [column: string, value: (row: T) => unknown])[];

/** Multi-row INSERT statements with positional parameters, `chunk` rows each. */
export function insertStatements<T>(table: string, columns: ColumnMap<T>, rows: readonly T[], chunk = 500): Statement[] {
  const row = `(${placeholders(columns.length)})`;
  const names = columns.map(([c]) => c).join(', ');
  const out: Statement[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values: unknown[] = [];
    for (const r of part) for (const [, value] of columns) values.push(value(r));
    out.push({ sql: `INSERT INTO ${table} (${names}) VALUES ${part.map(() => row).join(', ')}`, values });
  }
  return out;
}

/**
 * Multi-row INSERTs with positional parameters, `chunk` rows per statement (the publish hot path:
 * TypeORM's insert builder costs more CPU than the database does for the same rows).
 */
export async function insertRows<T>(db: Runner, table: string, columns: ColumnMap<T>, rows: readonly T[], chunk = 500): Promise<void> {
  for (const s of insertStatements(table, columns, rows, chunk)) await execPositional(db, s.sql, s.values);
}

/**
 * A transaction of writes that read nothing in one round trip on MySQL/MariaDB: [SET TRANSACTION
 * ISOLATION LEVEL …;] START TRANSACTION; the statements; COMMIT, as one multi-statement query (the
 * server stops at the first failing statement; the transaction is then rolled back). Returns each
 * statement's affected rows. The delivery engine's result writes: one wake-up of the database and one
 * of the engine per batch, where each statement was one of each. SQLite: TypeORM's transaction.
 */
export async function oneTripTransaction(ds: DataSource, statements: readonly Statement[], isolation?: 'READ COMMITTED'): Promise<number[]> {
  if (ds.options.type !== 'mysql' && ds.options.type !== 'mariadb') {
    return ds.transaction(async (m) => {
      const affected: number[] = [];
      for (const st of statements) affected.push((await execPositional(m, st.sql, st.values)).affected);
      return affected;
    });
  }
  return mysqlTransaction(ds, async (qr, conn) => {
    const head = [...(isolation ? [`SET TRANSACTION ISOLATION LEVEL ${isolation}`] : []), 'START TRANSACTION'];
    const results = (await sendOnMysql(ds, qr, conn, [...head, ...statements.map((st) => conn.format(st.sql, st.values)), 'COMMIT'].join(';\n'))) as { affectedRows?: number }[];
    return results.slice(head.length, head.length + statements.length).map((r) => r.affectedRows ?? 0);
  });
}

/**
 * A write transaction in two round trips on MySQL/MariaDB: `START TRANSACTION` and its first read go
 * as one multi-statement query; `work` reads what else it must on `m` and returns its writes, which go
 * with `COMMIT` as a second one. The server runs a multi-statement query's statements in order and
 * stops at the first that fails, so COMMIT never follows a failed write: on any failure the
 * transaction rolls back. Each round trip is one turn of the event loop for the answer; under load a
 * turn waits behind everything else the loop has to do, which is what a publish group's latency was
 * made of (five turns before). The statements are escaped by mysql2 as for any query (the pool
 * allows multiple statements for this; no SQL is ever built from input). SQLite: TypeORM's
 * transaction, one statement at a time.
 */
export async function twoTripTransaction<T>(
  ds: DataSource,
  first: Statement,
  work: (m: EntityManager, firstRows: any[]) => Promise<{ result: T; writes: Statement[] }>,
): Promise<T> {
  if (ds.options.type !== 'mysql' && ds.options.type !== 'mariadb') {
    return ds.transaction(async (m) => {
      const { result, writes } = await work(m, (await execPositional(m, first.sql, first.values)).records);
      for (const w of writes) await execPositional(m, w.sql, w.values);
      return result;
    });
  }
  return mysqlTransaction(ds, async (qr, conn) => {
    const [, rows] = (await sendOnMysql(ds, qr, conn, `START TRANSACTION;\n${conn.format(first.sql, first.values)}`)) as [unknown, any[]];
    const { result, writes } = await work(qr.manager, rows);
    await sendOnMysql(ds, qr, conn, [...writes.map((w) => conn.format(w.sql, w.values)), 'COMMIT'].join(';\n'));
    return result;
  });
}
