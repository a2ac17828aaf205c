import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode, isArrearsError } from '@arrears/contracts';
import { newDataKey } from './key-provider';
import { DEVELOPMENT_MASTER_KEY_BASE64, masterKeyFromEnv, masterKeyOf, unwrapDataKey, wrapDataKey, WRAPPED_KEY_BYTES } from './master-key';

function failure(run: () => unknown): { code?: string; field?: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isArrearsError(error)) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe('masterKeyFromEnv', () => {
  it('reads 32 bytes of base64 from ARREARS_PII_MASTER_KEY', () => {
    const bytes = randomBytes(32);
    const key = masterKeyFromEnv({ ARREARS_PII_MASTER_KEY: bytes.toString('base64'), NODE_ENV: 'production' });
    expect(key.export().equals(bytes)).toBe(true);
  });

  it('refuses a key of the wrong length or in another encoding, naming the variable', () => {
    for (const value of [randomBytes(16).toString('base64'), randomBytes(32).toString('hex'), randomBytes(32).toString('base64url').replace(/[-_]/g, '') + '!']) {
      const error = failure(() => masterKeyFromEnv({ ARREARS_PII_MASTER_KEY: value, NODE_ENV: 'development' }));
      expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_PII_MASTER_KEY' });
      expect(error.message).toContain('ARREARS_PII_MASTER_KEY must be 32 bytes in base64');
    }
  });

  it('never falls back to the development key outside development and test', () => {
    for (const env of [{ NODE_ENV: 'production' }, {}, { NODE_ENV: 'staging' }, { NODE_ENV: 'production', ARREARS_PII_MASTER_KEY: ' ' }]) {
      const error = failure(() => masterKeyFromEnv(env));
      expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_PII_MASTER_KEY' });
      expect(error.message).toMatch(/^ARREARS_PII_MASTER_KEY is not set/);
    }
  });

  it('falls back to the published development key in development, with a warning', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const key = masterKeyFromEnv({ NODE_ENV: 'development' });
      expect(key.export().toString('base64')).toBe(DEVELOPMENT_MASTER_KEY_BASE64);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('ARREARS_PII_MASTER_KEY is not set'), expect.anything());
    } finally {
      warn.mockRestore();
    }
  });

  it('falls back to the published development key in test', () => {
    const key = masterKeyFromEnv({ NODE_ENV: 'test' });
    expect(key.export().toString('base64')).toBe(DEVELOPMENT_MASTER_KEY_BASE64);
    expect(key.symmetricKeySize).toBe(32);
  });
});

describe('wrapping a data key', () => {
  const master = createSecretKey(randomBytes(32));

  it('unwraps what it wrapped; the wrapped bytes do not contain the key', () => {
    const subject = randomUUID();
    const key = newDataKey();
    const wrapped = wrapDataKey(master, subject, key);
    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(wrapped.includes(key.export())).toBe(false);
    expect(unwrapDataKey(master, subject, wrapped).equals(key)).toBe(true);
  });

  it('refuses another master key, another subject, or altered bytes, naming the master key variable', () => {
    const subject = randomUUID();
    const wrapped = wrapDataKey(master, subject, newDataKey());
    const altered = Buffer.from(wrapped);
    altered[20] = (altered[20] ?? 0) ^ 1;
    for (const attempt of [
      () => unwrapDataKey(createSecretKey(randomBytes(32)), subject, wrapped),
      () => unwrapDataKey(master, randomUUID(), wrapped),
      () => unwrapDataKey(master, subject, altered),
      () => unwrapDataKey(master, subject, wrapped.subarray(1)),
    ]) {
      const error = failure(attempt);
      expect(error.code).toBe(ErrorCode.INTERNAL);
      expect(error.message).toContain(`Cannot unwrap the data key of subject`);
      expect(error.message).toContain('ARREARS_PII_MASTER_KEY');
    }
  });

  it('takes a master key of 32 bytes only', () => {
    expect(masterKeyOf(randomBytes(32)).symmetricKeySize).toBe(32);
    expect(failure(() => masterKeyOf(randomBytes(16)))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'masterKey' });
    expect(failure(() => masterKeyOf(createSecretKey(randomBytes(64))))).toMatchObject({ field: 'masterKey' });
  });
});
