import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Secret values by their shape, wherever they end up in a line (a message, an error, a nested
 * object under any key): webhook and account signing secrets (`whsec_…`) and API key tokens
 * (`hk_live_…`). Key-name redaction alone misses a secret carried under an unexpected key.
 */
const SECRET_VALUES = /\b(whsec_|hk_live_)[A-Za-z0-9+/=_-]+/g;

/** Removes secret values from one serialized log line. */
export function redactSecretValues(line: string): string {
  return line.replace(SECRET_VALUES, '$1[redacted]');
}

/**
 * Errors without the values a failed query was run with: TypeORM's QueryFailedError carries
 * `parameters`, and the MySQL driver's error the SQL with the values written in (`sql`); either may
 * hold a sealed secret, custom header values or a stored response.
 */
function errWithoutSqlValues(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  delete out.parameters;
  delete out.sql;
  const driver = out.driverError as Record<string, unknown> | undefined;
  if (driver && typeof driver === 'object') out.driverError = { code: driver.code, errno: driver.errno, sqlState: driver.sqlState };
  return out;
}

/** Structured JSON logs. Secrets and credentials are redacted wherever they could appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'hookline' },
    serializers: { err: errWithoutSqlValues },
    hooks: { streamWrite: redactSecretValues },
    redact: {
      paths: [
        'authorization',
        '*.authorization',
        'headers.authorization',
        '*.headers.authorization',
        '*.*.headers.authorization',
        '*.connectionParams.authorization',
        'secret',
        '*.secret',
        '*.*.secret',
        'token',
        '*.token',
        '*.password',
        'headers["webhook-signature"]',
        'headers["x-hookline-signature"]',
        '*.headers["webhook-signature"]',
        '*.headers["x-hookline-signature"]',
        'parameters',
        '*.parameters',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
