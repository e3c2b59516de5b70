/** Structured JSON logs (pino) to stdout; one logger, children per component. */
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Fields that would carry a credential if anyone logged a request's headers or a config object; a
 * test on captured logs (test/e2e/log-secrets.test.ts) checks that none reaches the output.
 */
const REDACT = [
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.password',
  '*.secret',
  'neo4j.password',
  'key',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, base: { service: 'affinity' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
