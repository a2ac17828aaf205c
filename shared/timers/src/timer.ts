import { ArrearsError, ErrorCode, InstantSchema } from '@arrears/contracts';
import { uuidV5 } from '@arrears/event-store';

/** The namespace of timer ids made by `timerId(...)`; fixed for ever, or a re-scheduled fact would get a new id. */
export const TIMER_NAMESPACE = 'b6f3c1d8-2e4a-4f7b-9c05-7a1e8d3f6b29';

export type TimerPayload = Readonly<Record<string, unknown>>;

/** What a service asks for: "fire `kind` about `key` for `owner` at `fireAt`". */
export interface ScheduleTimer {
  /** The timer's identity; derive it with `timerId(...)` from the business fact, so scheduling it again is a no-op. */
  readonly timerId: string;
  /** Who fires it: the poller of this owner (a service, or one of its handlers), e.g. 'promises-to-pay'. */
  readonly owner: string;
  /** What it means to the owner, e.g. 'PromiseDue'. */
  readonly kind: string;
  /** What it is about, e.g. a promise id: `cancelByKey` cancels by it. */
  readonly key: string;
  /** An ISO-8601 instant with an offset; the timer fires not before it, by the poller's clock. */
  readonly fireAt: string;
  /** A JSON object handed to the handler as stored (it goes through JSON: no Dates, no undefined). Default {}. */
  readonly payload?: TimerPayload;
}

export type TimerStatus = 'pending' | 'fired' | 'cancelled';

/** A stored timer, as `get` and `pending` show it. Instants are ISO-8601 strings in UTC. */
export interface Timer {
  readonly timerId: string;
  readonly owner: string;
  readonly kind: string;
  readonly key: string;
  readonly fireAt: string;
  readonly payload: TimerPayload;
  readonly status: TimerStatus;
  /** Handler runs that ended, failed or not: a fired timer that never failed shows 1. */
  readonly attempts: number;
  /** The last handler failure's message; kept after a later success, as history. */
  readonly lastError: string | null;
  /** When a poller may next take it: `fireAt` until a failure, then later; null when parked after `maxAttempts`. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  /** The poller's clock when it fired. */
  readonly firedAt: string | null;
  readonly cancelledAt: string | null;
}

/** What a handler gets. Its `timerId` is the deterministic id to derive command ids from. */
export interface DueTimer {
  readonly timerId: string;
  readonly owner: string;
  readonly kind: string;
  readonly key: string;
  readonly fireAt: string;
  readonly payload: TimerPayload;
  /** 1 on the first try, 2 after one failure, and so on. */
  readonly attempt: number;
  /** The poller's clock at this firing (at or after `fireAt`): the `now` to put on the command it sends. */
  readonly firedAt: string;
}

/**
 * The least a transaction must offer to schedule or cancel inside it: a query with positional parameters that
 * returns rows. A pg `Pool` or `PoolClient` is one; a TypeORM `EntityManager` becomes one by wrapping its `query`
 * to return `{ rows }`. (The same shape as `SqlExecutor` in @arrears/messaging, which this package does not use.)
 */
export interface SqlExecutor {
  query(sql: string, params?: readonly unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

/**
 * A deterministic timer id (UUID v5) from the parts that make the business fact, e.g.
 * `timerId('promises-to-pay', 'PromiseDue', promiseId)`: the same fact always schedules the same timer.
 */
export function timerId(...parts: readonly string[]): string {
  if (parts.length === 0 || parts.some((part) => typeof part !== 'string' || part === '')) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'timerId needs at least one part, and every part a non-empty string', { field: 'parts' });
  }
  // JSON keeps the parts apart: ('a/b', 'c') and ('a', 'b/c') are different facts.
  return uuidV5(JSON.stringify(parts), TIMER_NAMESPACE);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** PostgreSQL keeps microseconds: a finer instant would be rounded, possibly to before itself. */
const AT_MOST_MICROSECONDS = /^[^.]*(\.\d{1,6})?([zZ]|[+-]\d{2}:?\d{2})$/;

function refuse(field: string, message: string): never {
  throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: ${message}`, { field });
}

export function validTimerId(value: unknown, field = 'timerId'): string {
  if (typeof value !== 'string' || !UUID.test(value)) refuse(field, `must be a UUID, e.g. from timerId(...) (got ${JSON.stringify(value)})`);
  return value.toLowerCase();
}

export function validName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') refuse(field, `must be a non-empty string (got ${JSON.stringify(value)})`);
  return value;
}

export function validInstant(field: string, value: unknown): string {
  if (typeof value !== 'string' || !InstantSchema.safeParse(value).success || !AT_MOST_MICROSECONDS.test(value)) {
    refuse(field, `must be an ISO-8601 instant with an offset and at most microseconds, e.g. 2025-03-01T00:00:00.000Z (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** Checks every field before anything is written; returns the payload as the JSON text to store. */
export function validTimer(timer: ScheduleTimer): { readonly timer: ScheduleTimer; readonly payloadJson: string } {
  const checked: ScheduleTimer = {
    timerId: validTimerId(timer.timerId),
    owner: validName('owner', timer.owner),
    kind: validName('kind', timer.kind),
    key: validName('key', timer.key),
    fireAt: validInstant('fireAt', timer.fireAt),
    payload: timer.payload ?? {},
  };
  const payload = checked.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) refuse('payload', 'must be a JSON object');
  let payloadJson: string;
  try {
    payloadJson = JSON.stringify(payload);
  } catch (error) {
    refuse('payload', `must be JSON-serialisable (${error instanceof Error ? error.message : String(error)})`);
  }
  return { timer: checked, payloadJson };
}
