import { createHmac, hkdfSync, type KeyObject } from 'node:crypto';
import type { contactAttempts } from '@arrears/contracts';

/**
 * The secret that turns a phone number, email or address into a stable pseudonymous key, so attempts to one target
 * can be counted without keeping the target: derived from the personal-data master key (HKDF), so no second secret
 * has to be managed. Erasing a debtor leaves keys that cannot be turned back into numbers without this secret.
 */
export function targetKeySecret(masterKey: KeyObject | Uint8Array): Buffer {
  const material = masterKey instanceof Uint8Array ? masterKey : masterKey.export();
  return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'arrears-contact-target-key:v1', 32));
}

/** The normal form two spellings of one target share: digits of a phone number, a lower-case email or address. */
export function normalisedTarget(kind: contactAttempts.SealedTarget['kind'], value: string): string {
  if (kind === 'phone') return value.replace(/\D/g, '');
  return value.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function targetKey(secret: Buffer, kind: contactAttempts.SealedTarget['kind'], value: string): string {
  return createHmac('sha256', secret).update(`${kind}:${normalisedTarget(kind, value)}`).digest('hex');
}

/**
 * Whether two spellings name one target. Phones: the same digits, or one the other with a country code in front
 * (`3125550199` and `+1 312 555 0199`) — at least seven digits must agree.
 */
export function sameTarget(kind: contactAttempts.SealedTarget['kind'], a: string, b: string): boolean {
  const x = normalisedTarget(kind, a);
  const y = normalisedTarget(kind, b);
  if (kind !== 'phone') return x === y;
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  return shorter.length >= 7 && longer.endsWith(shorter) && longer.length - shorter.length <= 3;
}
