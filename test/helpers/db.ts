import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

export type DbKind = 'mysql' | 'sqlite';

/** The MariaDB/MySQL server tests use: TEST_MYSQL_URL, default root on 127.0.0.1:3306. */
export const MYSQL_SERVER_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  kind: DbKind;
  /** DATABASE_URL for Hookline. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file: a new MariaDB schema, or a SQLite file in a temp folder. */
export async function createTestDatabase(kind: DbKind = 'mysql'): Promise<TestDatabase> {
  const suffix = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-test-'));
    return { kind, url: path.join(dir, 'hookline.sqlite'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `hookline_test_${suffix}`;
  const admin = await mysql.createConnection(MYSQL_SERVER_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    kind,
    url: `${MYSQL_SERVER_URL.replace(/\/+$/, '')}/${name}`,
    drop: async () => {
      const c = await mysql.createConnection(MYSQL_SERVER_URL);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
