/** True when a write failed on a unique or primary key (MySQL ER_DUP_ENTRY, SQLite constraint). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = e?.driverError?.code ?? e?.code;
  const errno = e?.driverError?.errno ?? e?.errno;
  return code === 'ER_DUP_ENTRY' || errno === 1062 || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** mysql2/Node codes that mean "the database cannot be reached right now", not "this query is wrong". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

/**
 * True when an error (TypeORM's wrapper or the driver's own) says the database is unreachable or
 * overloaded: an outage the client should retry, as opposed to a bug. mysql2 marks every error that
 * kills a connection `fatal`, which also covers "connection is in closed state".
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  type Wrapped = { code?: string; fatal?: boolean; driverError?: unknown; cause?: unknown; thrownValue?: unknown };
  // TypeORM keeps the driver's error in driverError; graphql-js wraps a non-Error value in thrownValue.
  for (let e = err as Wrapped | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e !== 'object') return false;
    if ((e.code && UNREACHABLE_CODES.has(e.code)) || e.fatal === true) return true;
    e = (e.driverError ?? e.cause ?? e.thrownValue) as Wrapped | undefined;
  }
  return false;
}
