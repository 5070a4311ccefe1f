import fs from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { Config } from '../config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The better-sqlite3 module for this Node. 13 is a Node-API 10 addon (Node >= 22.14); 12 is the last
 * release that loads on Node 20, which is past its end of life and kept working only through the
 * optional `better-sqlite3-node20` alias. 12 must not run on Node 24: its statement finalizer aborts the
 * process when the garbage collector frees a statement.
 */
export function sqliteModule(): unknown {
  return Number(process.versions.napi) >= 10 ? require('better-sqlite3') : require('better-sqlite3-node20');
}

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
      // Multiple statements: the publish transaction's two round trips (twoTripTransaction). Every
      // statement Hookline sends is a constant with `?` values escaped by the driver.
      extra: { connectionLimit: poolSize, enableKeepAlive: true, multipleStatements: true },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    driver: sqliteModule(),
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
