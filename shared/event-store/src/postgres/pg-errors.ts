import { ArrearsError } from '@arrears/contracts';
import { concurrencyConflict, idempotencyConflict, unavailable } from '../errors';
import type { ExpectedVersion } from '../port';

interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
  message?: string;
}

const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// 57P01-03: the server is shutting down or terminated this backend; 53300: too many connections.
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message = '' } = error as PgError;
  if (code !== undefined && (CONNECTION_ERRNOS.has(code) || CONNECTION_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed|not queryable/i.test(message);
}

/** Turns what PostgreSQL raised into the port's errors; anything unrecognised is rethrown as it came. */
export function mapPgError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  if (error instanceof ArrearsError) return error;
  if (isConnectionError(error)) return unavailable('PostgreSQL', error);
  const pg = error as PgError;
  if (pg.code === 'AR409') {
    const actual = pg.detail === undefined || pg.detail === 'no_stream' ? 'no_stream' : Number(pg.detail);
    return concurrencyConflict(streamId, expected, actual);
  }
  if (pg.code === 'AR422') return idempotencyConflict(streamId, pg.detail ?? 'unknown', 'it was already appended, but not as this same batch in this stream');
  return error;
}

export function isTakenEventId(error: unknown): boolean {
  const pg = error as PgError;
  return pg.code === '23505' && pg.constraint === 'events_event_id_key';
}

