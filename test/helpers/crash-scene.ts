import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { ensureBuilt, killAllChildren } from './child';
import { createTestDatabase, TestDatabase } from './db';
import { startReceiver, Receiver } from './receiver';

/** What a kill -9 test works on: a fresh MariaDB database, a loopback receiver, and a reader connection of its own. */
export interface CrashScene {
  db: TestDatabase;
  rx: Receiver;
  /** A connection to `db` outside any Hookline child (opened once, closed in afterAll). */
  reader(): Promise<DataSource>;
}

/**
 * Registers the beforeAll/afterAll of a test file that SIGKILLs Hookline children: the scene is
 * ready inside its tests, and every child, the receiver, the reader and the database are disposed.
 */
export function crashScene(): CrashScene {
  let ds: DataSource | undefined;
  const scene = {
    reader: async () => (ds ??= await openDatabase({ type: 'mysql', url: scene.db.url }, { migrate: false, poolSize: 2 })),
  } as CrashScene;
  beforeAll(async () => {
    await ensureBuilt();
    scene.db = await createTestDatabase('mysql');
    scene.rx = await startReceiver();
  }, 120_000);
  afterAll(async () => {
    await killAllChildren();
    await scene.rx?.close();
    await ds?.destroy();
    await scene.db?.drop();
  });
  return scene;
}
