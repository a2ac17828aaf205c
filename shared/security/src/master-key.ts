import { createCipheriv, createDecipheriv, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { DATA_KEY_BYTES, type DataKey } from './key-provider';

export const MASTER_KEY_ENV = 'ARREARS_PII_MASTER_KEY';

/**
 * The master key used when ARREARS_PII_MASTER_KEY is unset and NODE_ENV is `development` or `test`. It is
 * printed here and in docs/personal-data.md, so it protects nothing: data wrapped under it is as good as
 * plaintext to anyone who has the database. Never in production, where masterKeyFromEnv refuses to fall back.
 */
export const DEVELOPMENT_MASTER_KEY_BASE64 = 'YXJyZWFycy1kZXYtbWFzdGVyLWtleS1OT1RTRUNSRVQ='; // 'arrears-dev-master-key-NOTSECRET'

const DEVELOPMENT_ENVIRONMENTS: readonly string[] = ['development', 'test'];
let warnedAboutDevelopmentKey = false;

/**
 * The master key (key-encryption key) from ARREARS_PII_MASTER_KEY: 32 bytes in base64, as `openssl rand -base64 32`
 * prints them. Unset, it falls back to DEVELOPMENT_MASTER_KEY_BASE64 only when NODE_ENV is `development` or `test`,
 * and fails otherwise: an unset NODE_ENV is how a production container often looks, so it does not count as
 * development.
 */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): KeyObject {
  const value = env[MASTER_KEY_ENV]?.trim();
  if (value === undefined || value === '') {
    const nodeEnv = env['NODE_ENV'];
    if (nodeEnv === undefined || !DEVELOPMENT_ENVIRONMENTS.includes(nodeEnv)) {
      throw new ArrearsError(
        ErrorCode.VALIDATION_FAILED,
        `${MASTER_KEY_ENV} is not set: set it to 32 random bytes in base64 (openssl rand -base64 32). The fixed development key is used only when NODE_ENV is development or test (NODE_ENV is ${nodeEnv === undefined ? 'unset' : `'${nodeEnv}'`}).`,
        { field: MASTER_KEY_ENV },
      );
    }
    if (nodeEnv === 'development' && !warnedAboutDevelopmentKey) {
      warnedAboutDevelopmentKey = true;
      process.emitWarning(`${MASTER_KEY_ENV} is not set: personal data is protected by the public development key, which protects nothing`, {
        code: 'ARREARS_DEVELOPMENT_MASTER_KEY',
      });
    }
    return createSecretKey(Buffer.from(DEVELOPMENT_MASTER_KEY_BASE64, 'base64'));
  }
  const bytes = Buffer.from(value, 'base64');
  // Node decodes base64 leniently (it skips what it does not understand); a value that does not re-encode to
  // itself is a typo or a key in another encoding, and would silently become a different key.
  if (bytes.toString('base64') !== value || bytes.length !== DATA_KEY_BYTES) {
    throw new ArrearsError(
      ErrorCode.VALIDATION_FAILED,
      `${MASTER_KEY_ENV} must be 32 bytes in base64 (openssl rand -base64 32), but ${bytes.toString('base64') === value ? `it decodes to ${bytes.length} bytes` : 'it is not valid base64 (with its = padding)'}`,
      { field: MASTER_KEY_ENV },
    );
  }
  return createSecretKey(bytes);
}

/** A master key as given to a key provider: 32 bytes or a secret KeyObject of 32 bytes. */
export function masterKeyOf(masterKey: KeyObject | Uint8Array): KeyObject {
  const key = masterKey instanceof KeyObject ? masterKey : createSecretKey(masterKey);
  if (key.type !== 'secret' || key.symmetricKeySize !== DATA_KEY_BYTES) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'masterKey: must be a 256-bit (32-byte) secret key', { field: 'masterKey' });
  }
  return key;
}

const WRAP_IV_BYTES = 12;
const WRAP_TAG_BYTES = 16;
export const WRAPPED_KEY_BYTES = WRAP_IV_BYTES + DATA_KEY_BYTES + WRAP_TAG_BYTES;

// Binding the subject id in means a wrapped key copied onto another subject's row does not unwrap there.
const wrapAad = (subjectId: string) => Buffer.from(`arrears-subject-key:v1:${subjectId}`, 'utf8');

/** AES-256-GCM under the master key: iv (12) ‖ encrypted key (32) ‖ tag (16). */
export function wrapDataKey(masterKey: KeyObject, subjectId: string, dataKey: DataKey): Buffer {
  const iv = randomBytes(WRAP_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv, { authTagLength: WRAP_TAG_BYTES }).setAAD(wrapAad(subjectId));
  const encrypted = Buffer.concat([cipher.update(dataKey.export()), cipher.final()]);
  return Buffer.concat([iv, encrypted, cipher.getAuthTag()]);
}

export function unwrapDataKey(masterKey: KeyObject, subjectId: string, wrapped: Buffer): DataKey {
  try {
    if (wrapped.length !== WRAPPED_KEY_BYTES) throw new Error(`a wrapped key has ${WRAPPED_KEY_BYTES} bytes, this one ${wrapped.length}`);
    const iv = wrapped.subarray(0, WRAP_IV_BYTES);
    const tag = wrapped.subarray(wrapped.length - WRAP_TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', masterKey, iv, { authTagLength: WRAP_TAG_BYTES }).setAAD(wrapAad(subjectId)).setAuthTag(tag);
    return createSecretKey(Buffer.concat([decipher.update(wrapped.subarray(WRAP_IV_BYTES, wrapped.length - WRAP_TAG_BYTES)), decipher.final()]));
  } catch (error) {
    throw new ArrearsError(
      ErrorCode.INTERNAL,
      `Cannot unwrap the data key of subject ${subjectId}: the master key (${MASTER_KEY_ENV}) is not the one it was wrapped with, or the stored key was altered`,
      { details: { subjectId }, cause: error },
    );
  }
}
