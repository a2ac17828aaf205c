import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { canonicalBytes, sha256Hex } from './canonical-json';
import { packageItem, type EvidencePackage } from './evidence-package';
import { PACKAGE_FORMAT, packageIdOf, type Manifest } from './manifest';
import { MAX_PART_BYTES, PackageDownloads } from './package-downloads';
import { InMemoryPackageStore } from './package-store';

/** A package of `events` listed events and one item of `itemBytes` bytes: what the downloads make of sizes. */
async function storedPackage(events: number, itemBytes: number): Promise<{ downloads: PackageDownloads; pkg: EvidencePackage }> {
  const item = packageItem('events.jsonl', Buffer.alloc(itemBytes, 'x'));
  const caseId = randomUUID();
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    caseId,
    accountId: caseId,
    reasons: ['two plans defaulted'],
    requestedAt: '2027-03-01T09:00:00.000Z',
    items: [{ name: item.name, sha256: item.sha256, bytes: item.bytes.length }],
    events: Array.from({ length: events }, (_, position) => ({ eventId: randomUUID(), streamId: `account-${caseId}`, streamPosition: position, globalPosition: `1:${position}`, type: 'PaymentPosted', sha256: sha256Hex(String(position)) })),
    keyId: '1b601c3c09491b06',
  };
  const manifestBytes = canonicalBytes(manifest);
  const pkg: EvidencePackage = { packageId: packageIdOf(manifestBytes), manifestBytes, signature: `${'A'.repeat(86)}==`, items: [item] };
  const store = new InMemoryPackageStore();
  await store.put(pkg);
  return { downloads: new PackageDownloads(store), pkg };
}

describe('downloading an evidence package', () => {
  it('gives the manifest whole while it fits in one answer, and leaves its events out (counted) when it does not', async () => {
    const small = await storedPackage(3, 10);
    await expect(small.downloads.manifest({ packageId: small.pkg.packageId })).resolves.toMatchObject({ eventCount: 3, eventsOmitted: false, manifest: { events: expect.any(Array) } });

    const large = await storedPackage(3_000, 10);
    expect(large.pkg.manifestBytes.length).toBeGreaterThan(MAX_PART_BYTES);
    const view = await large.downloads.manifest({ packageId: large.pkg.packageId });
    expect([view.eventCount, view.eventsOmitted, 'events' in view.manifest]).toEqual([3_000, true, false]);
    // The manifest itself is still there to read, in parts.
    const first = await large.downloads.file({ packageId: large.pkg.packageId, name: 'manifest.json' });
    expect([first.length, first.nextOffset, first.sha256]).toEqual([MAX_PART_BYTES, MAX_PART_BYTES, large.pkg.packageId]);
  });

  it('gives a file in parts of at most MAX_PART_BYTES, the last naming no next offset', async () => {
    const { downloads, pkg } = await storedPackage(1, MAX_PART_BYTES + 5);
    const packageId = pkg.packageId;
    const first = await downloads.file({ packageId, name: 'events.jsonl' });
    expect([first.offset, first.length, first.nextOffset, first.bytes]).toEqual([0, MAX_PART_BYTES, MAX_PART_BYTES, MAX_PART_BYTES + 5]);
    const last = await downloads.file({ packageId, name: 'events.jsonl', offset: MAX_PART_BYTES });
    expect([last.length, last.nextOffset, Buffer.from(last.content, 'base64').toString()]).toEqual([5, null, 'xxxxx']);
    await expect(rejection(downloads.file({ packageId, name: 'events.jsonl', length: MAX_PART_BYTES + 1 }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'length' });
    await expect(rejection(downloads.file({ packageId, name: 'events.jsonl', offset: -1 }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'offset' });
    await expect(rejection(downloads.file({ packageId, name: 'events.jsonl', part: 2 }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'part' });
  });
});
