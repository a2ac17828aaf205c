import { randomBytes } from 'node:crypto';
import { targetKey, targetKeySecret } from './targets';

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
