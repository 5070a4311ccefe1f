import fs from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { Config } from '../config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** DataSource options for the configured database; `synchronize` is never on. */
export function dataSourceOptions(db: Config['database'], poolSize = 20): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false } as const;
  if (db.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: db.url,
      timezone: 'Z',
      dateStrings: false,
      supportBigNumbers: true,
      charset: 'utf8mb4_unicode_ci',
      poolSize,
      extra: { connectionLimit: poolSize, enableKeepAlive: true },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.path,
    // WAL lets readers run beside the single writer; a busy timeout rides over short write locks.
    prepareDatabase: (conn: { pragma(s: string): unknown }) => {
      conn.pragma('journal_mode = WAL');
      conn.pragma('synchronous = NORMAL');
      conn.pragma('busy_timeout = 5000');
    },
  };
}

/** Opens the database and runs pending migrations. */
export async function openDatabase(db: Config['database'], opts: { migrate?: boolean; poolSize?: number } = {}) {
  if (db.type === 'better-sqlite3' && db.path !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(db.path)), { recursive: true });
  }
  const ds = new DataSource(dataSourceOptions(db, opts.poolSize));
  await ds.initialize();
  if (opts.migrate !== false) await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/** True for MySQL/MariaDB, false for SQLite: the few places whose SQL differs ask this. */
export function isMysql(ds: DataSource): boolean {
  return ds.options.type === 'mysql' || ds.options.type === 'mariadb';
}
