import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config';
import { dataSourceOptions } from './src/db/data-source';

/** The DataSource the TypeORM CLI uses (`npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show`). */
export default new DataSource(dataSourceOptions(loadConfig().database));
