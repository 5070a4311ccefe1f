import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';

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

/** Runs a write and returns the affected-row count and any rows (RETURNING) on both drivers. */
export async function execSql(db: Runner, sql: string, params: Record<string, unknown> = {}): Promise<{ affected: number; records: any[] }> {
  const ds = 'connection' in db ? db.connection : db;
  const [query, values] = ds.driver.escapeQueryWithParameters(sql, params as ObjectLiteral);
  const existing = 'connection' in db ? db.queryRunner : undefined;
  const qr = existing ?? ds.createQueryRunner();
  try {
    const r = await qr.query(query, values, true);
    return { affected: r.affected ?? 0, records: Array.isArray(r.records) ? r.records : [] };
  } finally {
    if (!existing) await qr.release();
  }
}
