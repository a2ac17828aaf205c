import { randomBytes } from 'node:crypto';
import { sameTarget, targetKey, targetKeySecret } from './targets';

describe('target keys', () => {
  const secret = targetKeySecret(randomBytes(32));

  it('are the same for two spellings of one number or address, and differ between targets and kinds', () => {
    expect(targetKey(secret, 'phone', '+1 (312) 555-0199')).toBe(targetKey(secret, 'phone', '13125550199'));
    expect(targetKey(secret, 'email', ' Jane.Doe@Example.com')).toBe(targetKey(secret, 'email', 'jane.doe@example.com'));
    expect(targetKey(secret, 'phone', '+1 (312) 555-0199')).not.toBe(targetKey(secret, 'phone', '+1 (312) 555-0198'));
    expect(targetKey(secret, 'phone', '5550199')).not.toBe(targetKey(secret, 'attorney', '5550199'));
  });

  it('depend on the master key: without it a key cannot be matched to a number', () => {
    const other = targetKeySecret(randomBytes(32));
    expect(targetKey(secret, 'phone', '13125550199')).not.toBe(targetKey(other, 'phone', '13125550199'));
    expect(targetKey(secret, 'phone', '13125550199')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the same target', () => {
  it('matches a phone number with or without its country code, and nothing shorter than seven digits', () => {
    expect(sameTarget('phone', '3125550199', '+1 (312) 555-0199')).toBe(true);
    expect(sameTarget('phone', '+44 20 7946 0958', '020 7946 0958')).toBe(false);
    expect(sameTarget('phone', '+44 20 7946 0958', '20 7946 0958')).toBe(true);
    expect(sameTarget('phone', '5550199', '+1 (312) 555-0199')).toBe(false);
    expect(sameTarget('phone', '3125550198', '+1 (312) 555-0199')).toBe(false);
    expect(sameTarget('email', ' Jane@Example.com', 'jane@example.com')).toBe(true);
  });
});
