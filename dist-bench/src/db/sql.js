"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.placeholders = void 0;
exports.runSql = runSql;
exports.parseDbDate = parseDbDate;
exports.execSql = execSql;
exports.execPositional = execPositional;
exports.insertRows = insertRows;
/**
 * Runs SQL with `:name` / `:...list` parameters through TypeORM's driver escaping, so Dates and
 * booleans are written the way each dialect stores them (SQLite keeps UTC text).
 */
function runSql(db, sql, params = {}) {
    const ds = 'connection' in db ? db.connection : db;
    const [query, values] = ds.driver.escapeQueryWithParameters(sql, params);
    return db.query(query, values);
}
/** A datetime as read by raw SQL: a Date on MySQL, UTC text on SQLite. */
function parseDbDate(v) {
    if (v === null || v === undefined)
        return null;
    if (v instanceof Date)
        return v;
    const s = String(v);
    return new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);
}
/** Runs a write and returns the affected-row count and any rows (RETURNING) on both drivers. */
async function execSql(db, sql, params = {}) {
    const ds = 'connection' in db ? db.connection : db;
    const [query, values] = ds.driver.escapeQueryWithParameters(sql, params);
    const existing = 'connection' in db ? db.queryRunner : undefined;
    const qr = existing ?? ds.createQueryRunner();
    try {
        const r = await qr.query(query, values, true);
        return { affected: r.affected ?? 0, records: Array.isArray(r.records) ? r.records : [] };
    }
    finally {
        if (!existing)
            await qr.release();
    }
}
/** A parameter as the driver wants it: SQLite keeps datetimes as UTC text (TypeORM's format) and booleans as 0/1. */
function driverValue(sqlite, v) {
    if (!sqlite)
        return v;
    if (v instanceof Date)
        return v.toISOString().replace('T', ' ').replace('Z', '');
    if (typeof v === 'boolean')
        return v ? 1 : 0;
    return v;
}
/**
 * Runs SQL with positional `?` placeholders, skipping TypeORM's named-parameter rewriting: the
 * delivery engine's hot path (claims and batched result writes) builds its statements directly.
 */
async function execPositional(db, sql, params) {
    const ds = 'connection' in db ? db.connection : db;
    const sqlite = ds.options.type !== 'mysql' && ds.options.type !== 'mariadb';
    const values = params.map((v) => driverValue(sqlite, v));
    const existing = 'connection' in db ? db.queryRunner : undefined;
    const qr = existing ?? ds.createQueryRunner();
    try {
        const r = await qr.query(sql, values, true);
        return { affected: r.affected ?? 0, records: Array.isArray(r.records) ? r.records : [] };
    }
    finally {
        if (!existing)
            await qr.release();
    }
}
/** `?, ?, ?` for n values. */
const placeholders = (n) => Array.from({ length: n }, () => '?').join(', ');
exports.placeholders = placeholders;
/**
 * Multi-row INSERTs with positional parameters, `chunk` rows per statement (the publish hot path:
 * TypeORM's insert builder costs more CPU than the database does for the same rows).
 */
async function insertRows(db, table, columns, rows, chunk = 500) {
    const row = `(${(0, exports.placeholders)(columns.length)})`;
    const names = columns.map(([c]) => c).join(', ');
    for (let i = 0; i < rows.length; i += chunk) {
        const part = rows.slice(i, i + chunk);
        const params = [];
        for (const r of part)
            for (const [, value] of columns)
                params.push(value(r));
        await execPositional(db, `INSERT INTO ${table} (${names}) VALUES ${part.map(() => row).join(', ')}`, params);
    }
}
