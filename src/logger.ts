import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs. Secrets and credentials are redacted wherever they could appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hookline' },
    redact: {
      paths: ['*.authorization', '*.Authorization', '*.secret', '*.token', 'headers["webhook-signature"]', 'headers["x-hookline-signature"]', '*.password'],
      censor: '[redacted]',
    },
  });
}
