import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs. Secrets and credentials are redacted wherever they could appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'hookline' },
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
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
