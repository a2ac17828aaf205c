/**
 * Canonical JSON: keys sorted by UTF-16 code units, no insignificant whitespace, strings and numbers as
 * `JSON.stringify` writes them (RFC 8785 for every value a replay holds). One value has one text, so replaying the
 * same history twice gives the same bytes whatever order the fold happened to add keys in.
 *
 * The same rules as legal-escalation's evidence packages; written again here because a service never imports
 * another service, and domain code imports nothing but the contracts. Anything that is not JSON — a Date, a Map,
 * NaN, a bigint, `undefined` in an array — is refused rather than silently turned into something else; a property
 * whose value is `undefined` is left out, as `JSON.stringify` does.
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
      if (!isPlainObject(value)) throw new TypeError(`canonicalJson: ${path} is a ${value.constructor?.name ?? 'non-plain object'}, not a plain JSON object`);
      const members = Object.keys(value)
        .filter((key) => value[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${write(value[key], `${path}.${key}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}, which JSON cannot hold`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
