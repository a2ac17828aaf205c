// The evidence package of a case escalated to legal: which streams hold the case (CaseIndex), its history
// (gatherCase), the signed content-addressed package (buildPackage), where it is kept (PackageStore), how it is
// checked (verifyPackage) and how it travels (writePackageDir, readPackageDir). docs/evidence-packages.md.
export { CaseIndex, type CaseIndexOptions } from './case-index';
export { caseHistory, caseOwnStreams, casesOf, gatherCase } from './gather';
export { buildPackage, type BuildPackageInput } from './build-package';
export { canonicalJson, sha256Hex } from './canonical-json';
export { checkPackageIntegrity, packageFiles, type BuiltPackage, type EvidencePackage, type PackageItem } from './evidence-package';
export { ITEM_NAMES, MANIFEST_FILE, PACKAGE_FORMAT, parseManifest, SIGNATURE_FILE, type ItemName, type Manifest, type ManifestEvent, type ManifestItem } from './manifest';
export {
  DEVELOPMENT_SIGNING_KEY_BASE64,
  keyIdOf,
  SIGNING_KEY_ENV,
  signerFromEnv,
  signerFromKey,
  verificationKeysFromEnv,
  VERIFY_KEYS_ENV,
  type PackageSigner,
} from './signer';
export { InMemoryPackageStore, type PackageStore } from './package-store';
export { PostgresPackageStore, type PostgresPackageStoreOptions } from './postgres-package-store';
export { DEFAULT_EVIDENCE_SCHEMA } from './schema';
export { verifyPackage, type EventDifference, type ItemCheck, type VerifyOptions, type VerifyReport } from './verify';
export { readPackageDir, writePackageDir } from './package-dir';
