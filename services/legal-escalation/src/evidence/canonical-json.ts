import { createHash } from 'node:crypto';

/**
 * Canonical JSON: keys sorted by UTF-16 code units, no whitespace, numbers and strings as `JSON.stringify` writes
 * them — RFC 8785 (JCS) for every value an event can hold. One value has one text, so its SHA-256 names it
 * whatever order a database (jsonb sorts keys its own way) or a writer put the keys in.
 *
 * Only JSON is accepted: a Date, a Buffer, a Map, `undefined` in an array, NaN or a bigint would otherwise turn into
 * something else silently. A property whose value is `undefined` is left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((element, index) => write(element, `${path}[${index}]`)).join(',')}]`;
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        throw new TypeError(`canonicalJson: ${path} is a ${(value as object).constructor?.name ?? 'non-plain object'}, not a plain JSON object`);
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}, which JSON cannot hold`);
  }
}

/** The bytes of a canonical JSON text: UTF-8. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** SHA-256 as 64 lower-case hex digits; a string is hashed as its UTF-8 bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
