import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config';
import { dataSourceOptions } from './src/db/data-source';

/**
 * The DataSource the TypeORM CLI uses, configured from the same environment as Hookline, e.g.
 * `npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show` (needs ts-node, not a dependency).
 * Hookline itself migrates on start and with `npm run hookline -- migrate`.
 */
export default new DataSource(dataSourceOptions(loadConfig().database));
