import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's own log lines (and the transports', which log through Nest's LoggerService) as pino JSON lines, with the
 * same trace ids and personal-data redaction as every other line the service writes. `context` becomes a field.
 */
export function nestLogger(logger: Logger): LoggerService {
  const write = (level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]) => {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const fields = context === undefined ? {} : { context };
    if (message instanceof Error) logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    else logger[level](fields, String(message));
  };
  return {
    log: (message, ...rest) => write('info', message, rest),
    error: (message, ...rest) => write('error', message, rest),
    warn: (message, ...rest) => write('warn', message, rest),
    debug: (message, ...rest) => write('debug', message, rest),
    verbose: (message, ...rest) => write('trace', message, rest),
    fatal: (message, ...rest) => write('error', message, rest),
  };
}
