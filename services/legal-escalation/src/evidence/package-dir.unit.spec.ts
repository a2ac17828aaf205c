import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ErrorCode } from '@arrears/contracts';
import { InMemoryEventStore } from '@arrears/event-store';
import { buildPackage } from './build-package';
import type { BuiltPackage } from './evidence-package';
import { gatherCase } from './gather';
import { ITEM_NAMES } from './manifest';
import { readPackageDir, writePackageDir } from './package-dir';
import { signerFromEnv } from './signer';
import { appendCaseHistory, type CaseHistory } from './testing/case-history';
import { verifyPackage } from './verify';

describe('a package as a directory', () => {
  const signer = signerFromEnv({ NODE_ENV: 'test' });
  let store: InMemoryEventStore;
  let history: CaseHistory;
  let pkg: BuiltPackage;
  let dir: string;

  beforeAll(async () => {
    store = new InMemoryEventStore();
    history = await appendCaseHistory(store);
    const events = await gatherCase(store, history.streams, history.caseId);
    pkg = await buildPackage({ caseId: history.caseId, accountId: history.accountId, reasons: history.reasons, requestedAt: history.requestedAt, events, signer });
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'evidence-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the six items, manifest.json and manifest.sig, and reads back as the same package', async () => {
    await writePackageDir(pkg, dir);
    expect((await readdir(dir)).sort()).toEqual([...ITEM_NAMES, 'manifest.json', 'manifest.sig'].sort());
    expect((await readFile(path.join(dir, 'manifest.json'))).equals(pkg.manifestBytes)).toBe(true);
    expect(await readFile(path.join(dir, 'manifest.sig'), 'utf8')).toBe(`${pkg.signature}\n`);

    const read = await readPackageDir(dir);
    expect(read.packageId).toBe(pkg.packageId);
    expect(read.signature).toBe(pkg.signature);
    expect(new Map(read.items.map((item) => [item.name, item.bytes]))).toEqual(new Map(pkg.items.map((item) => [item.name, item.bytes])));
    expect(await verifyPackage(read, { publicKey: signer.publicKey, store, streams: history.streams })).toMatchObject({ ok: true });
  });

  it('is verified as it is on disk: a byte flipped in a file is named', async () => {
    await writePackageDir(pkg, dir);
    const file = path.join(dir, 'promises-and-plans.json');
    const bytes = await readFile(file);
    bytes[7] = (bytes[7] as number) ^ 0x20;
    await writeFile(file, bytes);
    const report = await verifyPackage(await readPackageDir(dir), { publicKey: signer.publicKey, store, streams: history.streams });
    expect(report.ok).toBe(false);
    expect(report.items.filter((item) => item.status !== 'ok').map((item) => [item.name, item.status])).toEqual([['promises-and-plans.json', 'altered']]);
  });

  it('refuses to write over a package already in the directory', async () => {
    await writePackageDir(pkg, dir);
    await expect(writePackageDir(pkg, dir)).rejects.toMatchObject({ code: ErrorCode.STATE_CONFLICT, field: 'out' });
  });

  it('refuses a directory that holds no package', async () => {
    await expect(readPackageDir(dir)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, message: expect.stringContaining('has no manifest.json') });
    await expect(readPackageDir(path.join(dir, 'nowhere'))).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});
