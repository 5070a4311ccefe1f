"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isUniqueViolation = isUniqueViolation;
/** True when a write failed on a unique or primary key (MySQL ER_DUP_ENTRY, SQLite constraint). */
function isUniqueViolation(err) {
    const e = err;
    const code = e?.driverError?.code ?? e?.code;
    const errno = e?.driverError?.errno ?? e?.errno;
    return code === 'ER_DUP_ENTRY' || errno === 1062 || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
