/** Canonical JSON (RFC 8785 for every value an event can hold) is the platform's, in contracts. */
import { canonicalJson } from '@arrears/contracts';

export { canonicalJson };
export { sha256Hex } from '@arrears/security';

/** The bytes of a canonical JSON text: UTF-8. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
