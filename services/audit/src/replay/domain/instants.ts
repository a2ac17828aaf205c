import { ArrearsError, ErrorCode, InstantSchema } from '@arrears/contracts';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

interface InstantKey {
  readonly seconds: number;
  /** The fraction's digits, any number of them: `Date.parse` would drop everything past the millisecond. */
  readonly fraction: string;
}

function keyOf(instant: string, field: string): InstantKey {
  const match = INSTANT.exec(instant);
  if (match === null) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} must be an ISO-8601 instant with an offset, not ${JSON.stringify(instant)}`, { field });
  const [, year, month, day, hour, minute, second, fraction = '', zone, sign, offsetHours, offsetMinutes] = match;
  const local = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) / 1000;
  const offset = zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  return { seconds: local - offset, fraction: fraction.replace(/0+$/, '') };
}

/**
 * Orders two instants by the moment they name, whatever their offsets (`10:00+02:00` is `08:00Z`) and however many
 * fraction digits they carry. Instants are compared, never their text: a store or a client may write either form.
 */
export function compareInstants(a: string, b: string): -1 | 0 | 1 {
  const x = keyOf(a, 'instant');
  const y = keyOf(b, 'instant');
  if (x.seconds !== y.seconds) return x.seconds < y.seconds ? -1 : 1;
  const width = Math.max(x.fraction.length, y.fraction.length);
  const fx = x.fraction.padEnd(width, '0');
  const fy = y.fraction.padEnd(width, '0');
  return fx === fy ? 0 : fx < fy ? -1 : 1;
}

/** The instant a caller asked about, checked: VALIDATION_FAILED naming `field` when it is not an instant with an offset. */
export function checkedInstant(value: string, field: string): string {
  if (!InstantSchema.safeParse(value).success) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} must be an ISO-8601 instant with an offset (2026-11-29T09:00:00Z), not ${JSON.stringify(value)}`, { field });
  }
  keyOf(value, field);
  return value;
}
