import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import type { KeyObject } from 'node:crypto';
import { verifyPackage, type CaseIndex, type PackageStore, type VerifyReport } from './evidence';

/** A stored package verified against its signature, its items and the event store's current history of its case. */
export class PackageVerifier {
  constructor(
    private readonly options: { readonly packages: PackageStore; readonly store: EventStore; readonly index: CaseIndex; readonly publicKeys: readonly KeyObject[] },
  ) {}

  async verify(packageId: string): Promise<VerifyReport> {
    const pkg = await this.options.packages.get(packageId);
    if (pkg === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `No package ${packageId}`, { field: 'data.packageId' });
    const caseId = String((JSON.parse(pkg.manifestBytes.toString('utf8')) as { caseId: string }).caseId);
    return verifyPackage(pkg, { publicKey: this.options.publicKeys, store: this.options.store, streams: await this.options.index.streamsOf(caseId) });
  }
}
