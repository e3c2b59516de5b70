/** Structured JSON logs (pino) to stdout; one logger, children per component. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'affinity' }, timestamp: pino.stdTimeFunctions.isoTime });
}
