/** Canonical JSON (sorted keys, no whitespace, RFC 8785 for every value a replay holds) is the platform's, in contracts. */
export { canonicalJson } from '@arrears/contracts';

/** A plain JSON object: not an array, a Date, a Map or any other class's instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
