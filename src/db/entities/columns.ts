import { ValueTransformer } from 'typeorm';

/** JSON stored as text, so one column definition serves MySQL and SQLite alike. */
export const jsonText: ValueTransformer = {
  to: (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v)),
  from: (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v ?? null),
};

/** MySQL returns BIGINT/DECIMAL aggregates as strings; SQLite as numbers. */
export const numeric: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};
