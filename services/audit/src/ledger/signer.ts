import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { sha256Hex } from './canonical-json';

/*
 * Ed25519 keys for the ledger's checkpoints. The same behaviour, key formats, key ids and development-key rule as
 * legal-escalation's evidence/signer.ts (written again: a service never imports another one), under the audit's own
 * variables so that the two services can hold different keys.
 */

export const SIGNING_KEY_ENV = 'ARREARS_AUDIT_SIGNING_KEY';
/** Public keys that verification accepts (comma-separated); unset, the signing key's own public key. */
export const VERIFY_KEYS_ENV = 'ARREARS_AUDIT_VERIFY_KEYS';

/**
 * The Ed25519 key used when ARREARS_AUDIT_SIGNING_KEY is unset and NODE_ENV is `development` or `test`: PKCS#8 DER in
 * base64, its 32-byte seed the text `arrears-dev-audit-signing-NOTSEC`. It is printed here and in
 * docs/audit-ledger.md, so a checkpoint signed with it proves nothing to anyone. Key id `ea053771a5e80087`.
 */
export const DEVELOPMENT_SIGNING_KEY_BASE64 = 'MC4CAQAwBQYDK2VwBCIEIGFycmVhcnMtZGV2LWF1ZGl0LXNpZ25pbmctTk9UU0VD';

const DEVELOPMENT_ENVIRONMENTS: readonly string[] = ['development', 'test'];
let warnedAboutDevelopmentKey = false;

/** Signs checkpoints, and names its key by the id verification looks the public key up with. */
export interface CheckpointSigner {
  /** `keyIdOf(publicKey)`: written into every checkpoint it signs. */
  readonly keyId: string;
  readonly publicKey: KeyObject;
  /** Ed25519 over exactly these bytes, base64. */
  sign(bytes: Uint8Array): string;
}

/** The first 16 hex digits of the SHA-256 of the raw 32-byte Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || jwk.x === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'Not an Ed25519 public key', { field: 'publicKey' });
  return sha256Hex(Buffer.from(jwk.x, 'base64url')).slice(0, 16);
}

export function signerFromKey(privateKey: KeyObject): CheckpointSigner {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The signing key must be an Ed25519 private key, not ${privateKey.asymmetricKeyType ?? privateKey.type}`, { field: 'privateKey' });
  }
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), publicKey, sign: (bytes) => sign(null, bytes, privateKey).toString('base64') };
}

/**
 * The signer from ARREARS_AUDIT_SIGNING_KEY: an Ed25519 private key as PKCS#8 PEM (`openssl genpkey -algorithm
 * ed25519`; line breaks may be written `\n`) or as the base64 of its DER. Unset, it falls back to
 * DEVELOPMENT_SIGNING_KEY_BASE64 only when NODE_ENV is `development` or `test`, and fails otherwise — an unset
 * NODE_ENV is how a production container often looks, so it does not count as development.
 */
export function signerFromEnv(env: NodeJS.ProcessEnv = process.env): CheckpointSigner {
  const value = env[SIGNING_KEY_ENV]?.trim();
  if (value === undefined || value === '') {
    const nodeEnv = env['NODE_ENV'];
    if (nodeEnv === undefined || !DEVELOPMENT_ENVIRONMENTS.includes(nodeEnv)) {
      throw new ArrearsError(
        ErrorCode.VALIDATION_FAILED,
        `${SIGNING_KEY_ENV} is not set: set it to an Ed25519 private key (openssl genpkey -algorithm ed25519), PKCS#8 PEM or base64 DER. The public development key is used only when NODE_ENV is development or test (NODE_ENV is ${nodeEnv === undefined ? 'unset' : `'${nodeEnv}'`}).`,
        { field: SIGNING_KEY_ENV },
      );
    }
    if (nodeEnv === 'development' && !warnedAboutDevelopmentKey) {
      warnedAboutDevelopmentKey = true;
      process.emitWarning(`${SIGNING_KEY_ENV} is not set: audit checkpoints are signed with the public development key, which proves nothing`, {
        code: 'ARREARS_DEVELOPMENT_SIGNING_KEY',
      });
    }
    return signerFromKey(createPrivateKey({ key: Buffer.from(DEVELOPMENT_SIGNING_KEY_BASE64, 'base64'), format: 'der', type: 'pkcs8' }));
  }
  return signerFromKey(parseKey(value, 'private', SIGNING_KEY_ENV));
}

/**
 * The public keys verification accepts: ARREARS_AUDIT_VERIFY_KEYS (SPKI PEM or base64 DER, comma-separated: the
 * current key and those retired but still named by stored checkpoints) or, unset, the signing key's public half.
 * A verifier that holds no private key sets only ARREARS_AUDIT_VERIFY_KEYS.
 */
export function verificationKeysFromEnv(env: NodeJS.ProcessEnv = process.env): KeyObject[] {
  const listed = env[VERIFY_KEYS_ENV]?.trim();
  if (listed === undefined || listed === '') return [signerFromEnv(env).publicKey];
  return listed
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part, index) => {
      const key = parseKey(part, 'public', `${VERIFY_KEYS_ENV}[${index}]`);
      keyIdOf(key);
      return key;
    });
}

function parseKey(value: string, kind: 'private' | 'public', field: string): KeyObject {
  let key: KeyObject;
  try {
    if (value.startsWith('-----BEGIN')) {
      const pem = value.replace(/\\n/g, '\n');
      key = kind === 'private' ? createPrivateKey({ key: pem, format: 'pem' }) : createPublicKey({ key: pem, format: 'pem' });
    } else {
      const der = Buffer.from(value, 'base64');
      // Node decodes base64 leniently; a value that does not re-encode to itself is a typo, not a key.
      if (der.toString('base64') !== value) throw new Error('it is neither PEM nor canonical base64');
      key = kind === 'private' ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) : createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
  } catch (error) {
    throw new ArrearsError(
      ErrorCode.VALIDATION_FAILED,
      `${field} must be an Ed25519 ${kind} key, ${kind === 'private' ? 'PKCS#8' : 'SPKI'} PEM or base64 DER: ${(error as Error).message}`,
      { field, cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} must be an Ed25519 key, not ${key.asymmetricKeyType ?? 'a symmetric key'}`, { field });
  }
  return key;
}

export type SignatureCheck = { readonly ok: true; readonly keyId: string } | { readonly ok: false; readonly detail: string };

/** Checks an Ed25519 signature with the accepted key whose id the signed text names. */
export function checkSignature(bytes: Uint8Array, signature: string, keyId: string | undefined, keys: readonly KeyObject[]): SignatureCheck {
  const accepted = keys.map((key) => ({ key, id: keyIdOf(key) }));
  const candidates = keyId === undefined ? accepted : accepted.filter((entry) => entry.id === keyId);
  if (candidates.length === 0) {
    return { ok: false, detail: `signed with key ${keyId}, which is not among the accepted keys (${accepted.map((entry) => entry.id).join(', ') || 'none'})` };
  }
  const raw = Buffer.from(signature.trim(), 'base64');
  if (raw.length !== 64 || raw.toString('base64') !== signature.trim()) return { ok: false, detail: 'the signature is not 64 bytes of canonical base64' };
  for (const { key, id } of candidates) {
    if (verify(null, bytes, key, raw)) return { ok: true, keyId: id };
  }
  return { ok: false, detail: `the signature does not match under key ${candidates.map((entry) => entry.id).join(', ')}` };
}
