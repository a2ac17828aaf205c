import { generateKeyPairSync, verify } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { checkSignature, keyIdOf, signerFromKey, signingKeys } from './ed25519-keys';

/** A service's configuration as the services write theirs; the audit service's development key stands in. */
const SIGNING_KEY_ENV = 'ARREARS_TEST_SIGNING_KEY';
const VERIFY_KEYS_ENV = 'ARREARS_TEST_VERIFY_KEYS';
const DEVELOPMENT_KEY = 'MC4CAQAwBQYDK2VwBCIEIGFycmVhcnMtZGV2LWF1ZGl0LXNpZ25pbmctTk9UU0VD';
const { signerFromEnv, verificationKeysFromEnv } = signingKeys({ signingKeyEnv: SIGNING_KEY_ENV, verifyKeysEnv: VERIFY_KEYS_ENV, developmentKeyBase64: DEVELOPMENT_KEY, signs: 'test texts' });

function failure(run: () => unknown): Error & { code?: string; field?: string } {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('Ed25519 signing keys from configuration', () => {
  const text = Buffer.from('{"seq":1}');

  it('signs with Ed25519: the signature checks with the public key and fails on other bytes', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = signerFromKey(privateKey);
    const signature = Buffer.from(signer.sign(text), 'base64');
    expect(signature).toHaveLength(64);
    expect(verify(null, text, signer.publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from('{"seq":2}'), signer.publicKey, signature)).toBe(false);
  });

  it('names a key by the first 16 hex digits of the SHA-256 of its raw public key', () => {
    const signer = signerFromEnv({ NODE_ENV: 'test' });
    expect(signer.keyId).toBe('ea053771a5e80087');
    expect(keyIdOf(signer.publicKey)).toBe(signer.keyId);
    expect(signerFromEnv({ NODE_ENV: 'production', [SIGNING_KEY_ENV]: DEVELOPMENT_KEY }).keyId).toBe(signer.keyId);
  });

  it('reads the key from its variable as PKCS#8 PEM (also with \\n written out) or base64 DER', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    for (const value of [pem, pem.replace(/\n/g, '\\n'), der, ` ${der}\n`]) {
      expect(signerFromEnv({ [SIGNING_KEY_ENV]: value, NODE_ENV: 'production' }).keyId).toBe(keyIdOf(publicKey));
    }
  });

  it.each([
    ['not base64', 'not a key!'],
    ['an RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    ['a public key', generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString()],
  ])('refuses %s, naming the variable', (_name, value) => {
    const error = failure(() => signerFromEnv({ [SIGNING_KEY_ENV]: value, NODE_ENV: 'production' }));
    expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: SIGNING_KEY_ENV });
  });

  it('falls back to the public development key only when NODE_ENV is development or test, and refuses to start otherwise', () => {
    for (const env of [{}, { NODE_ENV: 'production' }, { NODE_ENV: 'staging' }, { NODE_ENV: 'production', [SIGNING_KEY_ENV]: '  ' }]) {
      const error = failure(() => signerFromEnv(env));
      expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: SIGNING_KEY_ENV });
      expect(error.message).toMatch(/^ARREARS_TEST_SIGNING_KEY is not set/);
    }
  });

  it('warns once in development that the development key proves nothing', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      signerFromEnv({ NODE_ENV: 'development' });
      signerFromEnv({ NODE_ENV: 'development' });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('ARREARS_TEST_SIGNING_KEY is not set: test texts are signed'), expect.anything());
    } finally {
      warn.mockRestore();
    }
  });

  it('verifies with the configured public keys, old and new, picking the one the signed text names', () => {
    const old = generateKeyPairSync('ed25519');
    const current = generateKeyPairSync('ed25519');
    const keys = verificationKeysFromEnv({
      [VERIFY_KEYS_ENV]: [current.publicKey.export({ format: 'pem', type: 'spki' }).toString(), old.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')].join(','),
    });
    const before = signerFromKey(old.privateKey);
    expect(checkSignature(text, before.sign(text), before.keyId, keys)).toEqual({ ok: true, keyId: before.keyId });
    const stranger = signerFromKey(generateKeyPairSync('ed25519').privateKey);
    expect(checkSignature(text, stranger.sign(text), stranger.keyId, keys)).toMatchObject({ ok: false, detail: expect.stringContaining('not among the accepted keys') });
    expect(checkSignature(text, before.sign(Buffer.from('x')), before.keyId, keys, 'the text')).toMatchObject({ ok: false, detail: expect.stringContaining('does not match the text') });
    expect(checkSignature(text, 'bm90IDY0IGJ5dGVz', before.keyId, keys)).toMatchObject({ ok: false, detail: expect.stringContaining('not 64 bytes') });
    // None configured: the signing key's own public half.
    expect(verificationKeysFromEnv({ NODE_ENV: 'test' }).map(keyIdOf)).toEqual(['ea053771a5e80087']);
  });
});
