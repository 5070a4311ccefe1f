"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.dataSourceOptions = dataSourceOptions;
exports.openDatabase = openDatabase;
exports.isMysql = isMysql;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const typeorm_1 = require("typeorm");
const entities_1 = require("./entities");
const migrations_1 = require("./migrations");
/** DataSource options for the configured database; `synchronize` is never on. */
function dataSourceOptions(db, poolSize = 20) {
    const common = { entities: entities_1.ENTITIES, migrations: migrations_1.MIGRATIONS, synchronize: false, logging: false };
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
        prepareDatabase: (conn) => {
            conn.pragma('journal_mode = WAL');
            conn.pragma('synchronous = NORMAL');
            conn.pragma('busy_timeout = 5000');
        },
    };
}
/** Opens the database and runs pending migrations. */
async function openDatabase(db, opts = {}) {
    if (db.type === 'better-sqlite3' && db.path !== ':memory:') {
        node_fs_1.default.mkdirSync(node_path_1.default.dirname(node_path_1.default.resolve(db.path)), { recursive: true });
    }
    const ds = new typeorm_1.DataSource(dataSourceOptions(db, opts.poolSize));
    await ds.initialize();
    if (opts.migrate !== false)
        await ds.runMigrations({ transaction: 'each' });
    return ds;
}
/** True for MySQL/MariaDB, false for SQLite: the few places whose SQL differs ask this. */
function isMysql(ds) {
    return ds.options.type === 'mysql' || ds.options.type === 'mariadb';
}
