import { createHash } from 'node:crypto';

/** Canonical JSON (RFC 8785 for every value an event can hold) is the platform's, in contracts. */
import { canonicalJson } from '@arrears/contracts';

export { canonicalJson };

/** The bytes of a canonical JSON text: UTF-8. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** SHA-256 as 64 lower-case hex digits; a string is hashed as its UTF-8 bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
