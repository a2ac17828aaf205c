import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';

/*
 * Ed25519 signing keys as the platform configures them (legal's evidence packages, the audit ledger's checkpoints):
 * a private key from one environment variable, the public keys verification accepts from another, a public
 * development key only when NODE_ENV is development or test, key ids derived from the public key.
 */

const DEVELOPMENT_ENVIRONMENTS: readonly string[] = ['development', 'test'];
const warned = new Set<string>();

/** Signs, and names its key by the id verification looks the public key up with. */
export interface Ed25519Signer {
  /** `keyIdOf(publicKey)`: written into everything it signs. */
  readonly keyId: string;
  readonly publicKey: KeyObject;
  /** Ed25519 over exactly these bytes, base64. */
  sign(bytes: Uint8Array): string;
}

/** The first 16 hex digits of the SHA-256 of the raw 32-byte Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || jwk.x === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'Not an Ed25519 public key', { field: 'publicKey' });
  return createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('hex').slice(0, 16);
}

export function signerFromKey(privateKey: KeyObject): Ed25519Signer {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The signing key must be an Ed25519 private key, not ${privateKey.asymmetricKeyType ?? privateKey.type}`, { field: 'privateKey' });
  }
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), publicKey, sign: (bytes) => sign(null, bytes, privateKey).toString('base64') };
}

/** Where a service's keys come from, and what they sign (for the messages). */
export interface SigningKeyConfig {
  /** The private key: PKCS#8 PEM (line breaks may be written `\n`) or base64 DER. */
  readonly signingKeyEnv: string;
  /** Public keys verification accepts, comma-separated (SPKI PEM or base64 DER); unset, the signing key's own. */
  readonly verifyKeysEnv: string;
  /** PKCS#8 DER in base64 of the public development key, used only when NODE_ENV is development or test. */
  readonly developmentKeyBase64: string;
  /** What is signed, for the warning about the development key: `evidence packages`, `audit checkpoints`. */
  readonly signs: string;
}

/**
 * A service's signer and verification keys from its environment variables. Unset, the signing key falls back to the
 * development key only when NODE_ENV is `development` or `test`, and fails otherwise — an unset NODE_ENV is how a
 * production container often looks, so it does not count as development.
 */
export function signingKeys(config: SigningKeyConfig): { signerFromEnv(env?: NodeJS.ProcessEnv): Ed25519Signer; verificationKeysFromEnv(env?: NodeJS.ProcessEnv): KeyObject[] } {
  const signerFromEnv = (env: NodeJS.ProcessEnv = process.env): Ed25519Signer => {
    const value = env[config.signingKeyEnv]?.trim();
    if (value === undefined || value === '') {
      const nodeEnv = env['NODE_ENV'];
      if (nodeEnv === undefined || !DEVELOPMENT_ENVIRONMENTS.includes(nodeEnv)) {
        throw new ArrearsError(
          ErrorCode.VALIDATION_FAILED,
          `${config.signingKeyEnv} is not set: set it to an Ed25519 private key (openssl genpkey -algorithm ed25519), PKCS#8 PEM or base64 DER. The public development key is used only when NODE_ENV is development or test (NODE_ENV is ${nodeEnv === undefined ? 'unset' : `'${nodeEnv}'`}).`,
          { field: config.signingKeyEnv },
        );
      }
      if (nodeEnv === 'development' && !warned.has(config.signingKeyEnv)) {
        warned.add(config.signingKeyEnv);
        process.emitWarning(`${config.signingKeyEnv} is not set: ${config.signs} are signed with the public development key, which proves nothing`, { code: 'ARREARS_DEVELOPMENT_SIGNING_KEY' });
      }
      return signerFromKey(createPrivateKey({ key: Buffer.from(config.developmentKeyBase64, 'base64'), format: 'der', type: 'pkcs8' }));
    }
    return signerFromKey(parseKey(value, 'private', config.signingKeyEnv));
  };
  const verificationKeysFromEnv = (env: NodeJS.ProcessEnv = process.env): KeyObject[] => {
    const listed = env[config.verifyKeysEnv]?.trim();
    if (listed === undefined || listed === '') return [signerFromEnv(env).publicKey];
    return listed
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part, index) => {
        const key = parseKey(part, 'public', `${config.verifyKeysEnv}[${index}]`);
        keyIdOf(key);
        return key;
      });
  };
  return { signerFromEnv, verificationKeysFromEnv };
}

export function parseKey(value: string, kind: 'private' | 'public', field: string): KeyObject {
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

/** Checks an Ed25519 signature with the accepted key whose id the signed text names; `what` names the text in the message. */
export function checkSignature(bytes: Uint8Array, signature: string, keyId: string | undefined, keys: readonly KeyObject[], what?: string): SignatureCheck {
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
  return { ok: false, detail: `the signature does not match${what === undefined ? '' : ` ${what}`} under key ${candidates.map((entry) => entry.id).join(', ')}` };
}
