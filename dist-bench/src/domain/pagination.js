"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.likeLiteral = exports.encodeCursor = exports.MAX_PAGE_SIZE = exports.DEFAULT_PAGE_SIZE = void 0;
exports.decodeCursor = decodeCursor;
exports.pageById = pageById;
const errors_1 = require("./errors");
/** Default and maximum page sizes of every list. */
exports.DEFAULT_PAGE_SIZE = 20;
exports.MAX_PAGE_SIZE = 100;
const encodeCursor = (id) => Buffer.from(id, 'utf8').toString('base64url');
exports.encodeCursor = encodeCursor;
function decodeCursor(cursor) {
    const id = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!/^[0-9a-f-]{36}$/.test(id))
        throw (0, errors_1.badInput)({ after: ['is not a valid cursor'] });
    return id;
}
/**
 * Keyset pagination over a time-ordered id (UUIDv7), oldest first: stable under inserts, no
 * duplicates or gaps between pages, one index range scan per page.
 */
async function pageById(qb, args) {
    const first = args.first ?? exports.DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > exports.MAX_PAGE_SIZE) {
        throw (0, errors_1.badInput)({ first: [`must be between 1 and ${exports.MAX_PAGE_SIZE}`] });
    }
    const alias = qb.alias;
    if (args.after)
        qb.andWhere(`${alias}.id > :afterId`, { afterId: decodeCursor(args.after) });
    const rows = await qb.orderBy(`${alias}.id`, 'ASC').take(first + 1).getMany();
    return { nodes: rows.slice(0, first), hasNextPage: rows.length > first };
}
/** Escapes a literal for use inside a LIKE pattern with `ESCAPE '!'` (a backslash would escape MySQL's closing quote). */
const likeLiteral = (s) => s.replace(/[!%_]/g, (c) => `!${c}`);
exports.likeLiteral = likeLiteral;
