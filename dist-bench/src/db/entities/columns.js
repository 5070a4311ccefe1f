"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.numeric = exports.jsonText = void 0;
/** JSON stored as text, so one column definition serves MySQL and SQLite alike. */
exports.jsonText = {
    to: (v) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v)),
    from: (v) => (typeof v === 'string' ? JSON.parse(v) : v ?? null),
};
/** MySQL returns BIGINT/DECIMAL aggregates as strings; SQLite as numbers. */
exports.numeric = {
    to: (v) => v,
    from: (v) => (v === null || v === undefined ? v : Number(v)),
};
