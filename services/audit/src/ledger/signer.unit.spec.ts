import { ErrorCode } from '@arrears/contracts';
import { DEVELOPMENT_SIGNING_KEY_BASE64, keyIdOf, SIGNING_KEY_ENV, signerFromEnv, verificationKeysFromEnv, VERIFY_KEYS_ENV } from './signer';

/** The service's own keys and variables; how keys are read, signed with and checked is @arrears/security's (ed25519-keys.unit.spec.ts). */
describe('checkpoint signing keys', () => {
  it('reads ARREARS_AUDIT_SIGNING_KEY and ARREARS_AUDIT_VERIFY_KEYS', () => {
    expect([SIGNING_KEY_ENV, VERIFY_KEYS_ENV]).toEqual(['ARREARS_AUDIT_SIGNING_KEY', 'ARREARS_AUDIT_VERIFY_KEYS']);
    expect(() => signerFromEnv({ NODE_ENV: 'production' })).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_AUDIT_SIGNING_KEY' }));
  });

  it('has its own public development key, not the other service\'s', () => {
    const signer = signerFromEnv({ NODE_ENV: 'test' });
    expect(signer.keyId).toBe('ea053771a5e80087');
    expect(signer.keyId).not.toBe('1b601c3c09491b06');
    expect(Buffer.from(DEVELOPMENT_SIGNING_KEY_BASE64, 'base64').subarray(16).toString()).toBe('arrears-dev-audit-signing-NOTSEC');
    expect(verificationKeysFromEnv({ NODE_ENV: 'test' }).map(keyIdOf)).toEqual(['ea053771a5e80087']);
  });
});
