import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { sha256Hex } from './canonical-json';
import { MANIFEST_FILE, packageIdOf, parseManifest, SIGNATURE_FILE, type Manifest } from './manifest';

export interface PackageItem {
  readonly name: string;
  readonly bytes: Buffer;
  /** SHA-256 of `bytes` when the item was made or read; verification hashes the bytes again. */
  readonly sha256: string;
}

/**
 * A package as it is stored, exported and verified: the manifest's exact bytes (what is signed and hashed), the
 * signature and the items. Nothing here is trusted: `verifyPackage` re-checks every part of it.
 */
export interface EvidencePackage {
  /** The SHA-256 of `manifestBytes`, as 64 lower-case hex digits. */
  readonly packageId: string;
  readonly manifestBytes: Buffer;
  /** Ed25519 over `manifestBytes`, base64. */
  readonly signature: string;
  readonly items: readonly PackageItem[];
}

/** A package just built: the manifest also as an object. */
export interface BuiltPackage extends EvidencePackage {
  readonly manifest: Manifest;
}

export function packageItem(name: string, bytes: Buffer): PackageItem {
  return { name, bytes, sha256: sha256Hex(bytes) };
}

/** Every file of a package: the items, `manifest.json` and `manifest.sig` (the base64 signature and a newline). */
export function packageFiles(pkg: EvidencePackage): { readonly name: string; readonly bytes: Buffer }[] {
  return [
    ...pkg.items.map(({ name, bytes }) => ({ name, bytes })),
    { name: MANIFEST_FILE, bytes: pkg.manifestBytes },
    { name: SIGNATURE_FILE, bytes: Buffer.from(`${pkg.signature}\n`, 'utf8') },
  ];
}

/**
 * What a store checks before it keeps a package: the id is the manifest's hash, the manifest is one, and the items
 * are exactly the manifest's, each with the listed hash and length. The signature is not checked here (a store
 * holds no key): `verifyPackage` does that. Returns the parsed manifest.
 */
export function checkPackageIntegrity(pkg: EvidencePackage): Manifest {
  if (packageIdOf(pkg.manifestBytes) !== pkg.packageId) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Package ${pkg.packageId} is not the SHA-256 of its manifest (${packageIdOf(pkg.manifestBytes)})`, { field: 'packageId' });
  }
  const manifest = parseManifest(pkg.manifestBytes);
  if (!/^[A-Za-z0-9+/]{86}==$/.test(pkg.signature)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Package ${pkg.packageId}: the signature must be an Ed25519 signature in base64 (88 characters)`, { field: 'signature' });
  }
  const byName = new Map(pkg.items.map((item) => [item.name, item]));
  if (byName.size !== pkg.items.length) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Package ${pkg.packageId} holds an item twice`, { field: 'items' });
  for (const listed of manifest.items) {
    const item = byName.get(listed.name);
    if (item === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Package ${pkg.packageId} lacks its item ${listed.name}`, { field: `items.${listed.name}` });
    if (sha256Hex(item.bytes) !== listed.sha256 || item.bytes.length !== listed.bytes) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Package ${pkg.packageId}: item ${listed.name} does not match the SHA-256 and length its manifest lists`, {
        field: `items.${listed.name}`,
      });
    }
    byName.delete(listed.name);
  }
  const extra = [...byName.keys()];
  if (extra.length > 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Package ${pkg.packageId} holds items its manifest does not list: ${extra.join(', ')}`, { field: 'items' });
  return manifest;
}
