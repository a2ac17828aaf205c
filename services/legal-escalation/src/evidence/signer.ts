import type { KeyObject } from 'node:crypto';
import { checkSignature as check, signingKeys, type Ed25519Signer, type SignatureCheck } from '@arrears/security';

export { keyIdOf, signerFromKey, type SignatureCheck } from '@arrears/security';

export const SIGNING_KEY_ENV = 'ARREARS_LEGAL_SIGNING_KEY';
/** Public keys that verification accepts (comma-separated); unset, the signing key's own public key. */
export const VERIFY_KEYS_ENV = 'ARREARS_LEGAL_VERIFY_KEYS';

/**
 * The Ed25519 key used when ARREARS_LEGAL_SIGNING_KEY is unset and NODE_ENV is `development` or `test`: PKCS#8 DER in
 * base64, its 32-byte seed the text `arrears-dev-legal-signing-NOTSEC`. It is printed here and in
 * docs/evidence-packages.md, so a package signed with it proves nothing to anyone. Key id `1b601c3c09491b06`.
 */
export const DEVELOPMENT_SIGNING_KEY_BASE64 = 'MC4CAQAwBQYDK2VwBCIEIGFycmVhcnMtZGV2LWxlZ2FsLXNpZ25pbmctTk9UU0VD';

/** What signs evidence packages: an Ed25519 key from @arrears/security under this service's variables (docs/evidence-packages.md). */
export type PackageSigner = Ed25519Signer;

const keys = signingKeys({ signingKeyEnv: SIGNING_KEY_ENV, verifyKeysEnv: VERIFY_KEYS_ENV, developmentKeyBase64: DEVELOPMENT_SIGNING_KEY_BASE64, signs: 'evidence packages' });

/** The signer from ARREARS_LEGAL_SIGNING_KEY (PKCS#8 PEM or base64 DER); the development key only under NODE_ENV development or test. */
export const signerFromEnv: (env?: NodeJS.ProcessEnv) => PackageSigner = keys.signerFromEnv;
/** The public keys verification accepts: ARREARS_LEGAL_VERIFY_KEYS, or the signing key's public half. */
export const verificationKeysFromEnv: (env?: NodeJS.ProcessEnv) => KeyObject[] = keys.verificationKeysFromEnv;

/** Checks an Ed25519 signature with the accepted key whose id the signed text names. */
export function checkSignature(bytes: Uint8Array, signature: string, keyId: string | undefined, accepted: readonly KeyObject[]): SignatureCheck {
  return check(bytes, signature, keyId, accepted, 'manifest.json');
}
