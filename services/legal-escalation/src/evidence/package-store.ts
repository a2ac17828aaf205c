import { checkPackageIntegrity, type EvidencePackage, type PackageItem } from './evidence-package';
import { checkCaseId } from './gather';

/**
 * Where fixed packages are kept, content-addressed by package id. A package is written once and never changed:
 * putting the same package again changes nothing, and a package whose id, manifest and items do not agree is
 * refused (VALIDATION_FAILED) before anything is written.
 */
export interface PackageStore {
  /** Resolves true when the package was stored by this call, false when it was already there. */
  put(pkg: EvidencePackage): Promise<boolean>;
  get(packageId: string): Promise<EvidencePackage | undefined>;
  /** The case's package for the latest escalation request (then the last stored), if it has any. */
  latestFor(caseId: string): Promise<EvidencePackage | undefined>;
}

interface Kept {
  readonly pkg: EvidencePackage;
  readonly caseId: string;
  readonly requestedAt: number;
  readonly order: number;
}

/** For unit tests: the same contract in a Map; copies in and out, so a caller's later change reaches nothing kept. */
export class InMemoryPackageStore implements PackageStore {
  private readonly packages = new Map<string, Kept>();

  async put(pkg: EvidencePackage): Promise<boolean> {
    const manifest = checkPackageIntegrity(pkg);
    if (this.packages.has(pkg.packageId)) return false;
    this.packages.set(pkg.packageId, { pkg: copy(pkg), caseId: manifest.caseId.toLowerCase(), requestedAt: Date.parse(manifest.requestedAt), order: this.packages.size });
    return true;
  }

  async get(packageId: string): Promise<EvidencePackage | undefined> {
    const kept = this.packages.get(packageId);
    return kept === undefined ? undefined : copy(kept.pkg);
  }

  async latestFor(caseId: string): Promise<EvidencePackage | undefined> {
    const id = checkCaseId(caseId);
    const latest = [...this.packages.values()]
      .filter((kept) => kept.caseId === id)
      .sort((a, b) => b.requestedAt - a.requestedAt || b.order - a.order)[0];
    return latest === undefined ? undefined : copy(latest.pkg);
  }
}

function copy(pkg: EvidencePackage): EvidencePackage {
  return {
    packageId: pkg.packageId,
    manifestBytes: Buffer.from(pkg.manifestBytes),
    signature: pkg.signature,
    items: pkg.items.map((item): PackageItem => ({ name: item.name, bytes: Buffer.from(item.bytes), sha256: item.sha256 })),
  };
}
