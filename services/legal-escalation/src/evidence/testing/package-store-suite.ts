/** The PackageStore contract, run against every adapter (in memory in the unit tier, PostgreSQL in the int tier). */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { InMemoryEventStore } from '@arrears/event-store';
import { buildPackage } from '../build-package';
import type { BuiltPackage, EvidencePackage } from '../evidence-package';
import { gatherCase } from '../gather';
import type { PackageStore } from '../package-store';
import { signerFromEnv } from '../signer';
import { appendCaseHistory, type CaseHistory } from './case-history';

export interface PackageStoreUnderTest {
  readonly name: string;
  create(): Promise<{ readonly store: PackageStore; readonly teardown: () => Promise<void> }>;
}

export function describePackageStore({ name, create }: PackageStoreUnderTest): void {
  describe(`PackageStore: ${name}`, () => {
    const signer = signerFromEnv({ NODE_ENV: 'test' });
    let store: PackageStore;
    let teardown: () => Promise<void>;
    let history: CaseHistory;
    let events: EventEnvelope[];

    beforeAll(async () => {
      const eventStore = new InMemoryEventStore();
      history = await appendCaseHistory(eventStore);
      events = await gatherCase(eventStore, history.streams, history.caseId);
    });

    beforeEach(async () => {
      ({ store, teardown } = await create());
    });

    afterEach(async () => {
      await teardown();
    });

    const build = (changes: { requestedAt?: string; events?: EventEnvelope[] } = {}): Promise<BuiltPackage> =>
      buildPackage({
        caseId: history.caseId,
        accountId: history.accountId,
        reasons: history.reasons,
        requestedAt: changes.requestedAt ?? history.requestedAt,
        events: changes.events ?? events,
        signer,
      });

    const same = (got: EvidencePackage | undefined, expected: EvidencePackage) => {
      expect(got?.packageId).toBe(expected.packageId);
      expect(got?.manifestBytes.equals(expected.manifestBytes)).toBe(true);
      expect(got?.signature).toBe(expected.signature);
      expect(got?.items.map((item) => [item.name, item.sha256])).toEqual(expected.items.map((item) => [item.name, item.sha256]));
      got?.items.forEach((item, index) => expect(item.bytes.equals(expected.items[index]?.bytes ?? Buffer.alloc(0))).toBe(true));
    };

    it('keeps a package and gives it back byte for byte, by id and as the case\'s latest', async () => {
      const pkg = await build();
      expect(await store.put(pkg)).toBe(true);
      same(await store.get(pkg.packageId), pkg);
      same(await store.latestFor(history.caseId), pkg);
    });

    it('stores the same package once, however often and however concurrently it is put', async () => {
      const pkg = await build();
      const again = await build();
      const outcomes = await Promise.all([store.put(pkg), store.put(again), store.put(pkg), store.put(again)]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await store.put(pkg)).toBe(false);
      same(await store.get(pkg.packageId), pkg);
    });

    it('answers nothing for a package or a case it does not hold', async () => {
      expect(await store.get('0'.repeat(64))).toBeUndefined();
      expect(await store.get('not-an-id')).toBeUndefined();
      expect(await store.latestFor(randomUUID())).toBeUndefined();
    });

    it('gives the package of the latest escalation request as the case\'s latest', async () => {
      const later = await build({ requestedAt: '2027-04-01T09:00:00.000Z' });
      const earlier = await build({ events: events.slice(0, -1) });
      await store.put(later);
      await store.put(earlier);
      same(await store.latestFor(history.caseId), later);
    });

    it('gives a caller a copy: changing what it got changes nothing kept', async () => {
      const pkg = await build();
      await store.put(pkg);
      const got = await store.get(pkg.packageId);
      got?.items[0]?.bytes.fill(0);
      same(await store.get(pkg.packageId), pkg);
    });

    it.each([
      ['an id that is not the manifest\'s hash', (pkg: BuiltPackage): EvidencePackage => ({ ...pkg, packageId: 'a'.repeat(64) }), 'packageId'],
      ['an item altered', (pkg: BuiltPackage): EvidencePackage => ({ ...pkg, items: pkg.items.map((item, index) => (index === 1 ? { ...item, bytes: Buffer.concat([item.bytes, Buffer.from(' ')]) } : item)) }), 'items.statement.json'],
      ['an item missing', (pkg: BuiltPackage): EvidencePackage => ({ ...pkg, items: pkg.items.slice(1) }), 'items.events.jsonl'],
      ['an item not listed', (pkg: BuiltPackage): EvidencePackage => ({ ...pkg, items: [...pkg.items, { name: 'extra', bytes: Buffer.from('x'), sha256: '' }] }), 'items'],
      ['no signature', (pkg: BuiltPackage): EvidencePackage => ({ ...pkg, signature: '' }), 'signature'],
    ])('refuses %s and stores nothing', async (_name, spoil, field) => {
      const pkg = await build();
      await expect(store.put(spoil(pkg))).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field });
      expect(await store.latestFor(history.caseId)).toBeUndefined();
    });
  });
}
