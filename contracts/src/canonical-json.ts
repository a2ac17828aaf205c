/**
 * Canonical JSON: keys sorted by UTF-16 code units, no whitespace, numbers and strings as `JSON.stringify` writes
 * them — RFC 8785 (JCS) for every value an event can hold. One value has one text, so its SHA-256 names it whatever
 * order a writer or PostgreSQL's jsonb put the keys in.
 *
 * Shared by everything that hashes or signs what it writes — legal's evidence packages, the audit ledger, replay
 * output. Built for verification, which canonicalises every event of the store: it sorts an object's keys only when
 * they are not already in order, and keeps no path while it writes — when a value turns out not to be JSON, a
 * second, slower pass finds where, for the message. Only JSON is
 * accepted: a Date, a Buffer, a Map, `undefined` in an array, NaN or a bigint is refused rather than silently turned
 * into something else; a property whose value is `undefined` is left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    if (error === NOT_JSON) throw new TypeError(`canonicalJson: ${describeFirstProblem(value, '$')}, which JSON cannot hold`);
    throw error;
  }
}

const NOT_JSON = new Error('not JSON');

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw NOT_JSON;
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let text = '[';
        for (let index = 0; index < value.length; index += 1) {
          if (index > 0) text += ',';
          text += write(value[index]);
        }
        return text + ']';
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) throw NOT_JSON;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (!sorted(keys)) keys.sort();
      let text = '{';
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        if (text.length > 1) text += ',';
        text += JSON.stringify(key);
        text += ':';
        text += write(member);
      }
      return text + '}';
    }
    default:
      throw NOT_JSON;
  }
}

function sorted(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index += 1) {
    if ((keys[index - 1] as string) > (keys[index] as string)) return false;
  }
  return true;
}

/** Where `value` first holds something JSON cannot, and what: `$.data.lines[1].at is a Map`. */
function describeFirstProblem(value: unknown, path: string): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return '';
  if (typeof value === 'number') return Number.isFinite(value) ? '' : `${path} is ${value}`;
  if (typeof value !== 'object') return `${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}`;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = describeFirstProblem(value[index], `${path}[${index}]`);
      if (found !== '') return found;
    }
    return '';
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    return `${path} is a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'non-plain object'}, not a plain JSON object`;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    const found = describeFirstProblem(record[key], `${path}.${key}`);
    if (found !== '') return found;
  }
  return '';
}
