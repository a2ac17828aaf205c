import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arrears/contracts';
import { InMemoryEventStore, type EventStore } from '@arrears/event-store';
import { buildPackage } from './build-package';
import type { BuiltPackage, EvidencePackage } from './evidence-package';
import { gatherCase } from './gather';
import { ITEM_NAMES, MANIFEST_FILE } from './manifest';
import { signerFromEnv, signerFromKey } from './signer';
import { appendCaseHistory, laterLegalEvent, type CaseHistory } from './testing/case-history';
import { verifyPackage, type VerifyOptions } from './verify';

/** The store as it reads after someone changed it behind the port's back. */
function tampered(store: EventStore, change: (events: EventEnvelope[]) => EventEnvelope[]): EventStore {
  const view = Object.create(store) as EventStore;
  view.readStream = async (streamId, options) => change(await store.readStream(streamId, options));
  return view;
}

function flipByte(bytes: Buffer, at = Math.floor(bytes.length / 2)): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

describe('verifying an evidence package', () => {
  const signer = signerFromEnv({ NODE_ENV: 'test' });
  let store: InMemoryEventStore;
  let history: CaseHistory;
  let pkg: BuiltPackage;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    history = await appendCaseHistory(store);
    const events = await gatherCase(store, history.streams, history.caseId);
    pkg = await buildPackage({ caseId: history.caseId, accountId: history.accountId, reasons: history.reasons, requestedAt: history.requestedAt, events, signer });
  });

  const options = (changes: Partial<VerifyOptions> = {}): VerifyOptions => ({ publicKey: signer.publicKey, store, streams: history.streams, ...changes });
  const withItem = (name: string, change: (bytes: Buffer) => Buffer | undefined): EvidencePackage => ({
    ...pkg,
    items: pkg.items.flatMap((item) => {
      if (item.name !== name) return [item];
      const bytes = change(item.bytes);
      return bytes === undefined ? [] : [{ ...item, bytes }];
    }),
  });
  const eventOf = (type: string) => {
    const found = history.events.find((event) => event.type === type);
    if (found === undefined) throw new Error(`no ${type} in the history`);
    return found;
  };

  it('passes an intact package whose events the store still holds unchanged', async () => {
    const report = await verifyPackage(pkg, options());
    expect(report).toMatchObject({ ok: true, packageId: pkg.packageId, caseId: history.caseId, manifest: { ok: true }, signature: 'ok', events: [], eventsChecked: history.events.length });
    expect(report.items.map((item) => [item.name, item.status])).toEqual(ITEM_NAMES.map((name) => [name, 'ok']));
    expect(report.summary).toContain('signature: ok (Ed25519, key 1b601c3c09491b06)');
    expect(report.summary).toContain(`events: ${history.events.length} in the package; ${history.events.length} unchanged in the event store`);
    expect(report.summary).toMatch(/VERIFIED/);
  });

  it.each(ITEM_NAMES.map((name) => [name]))('names %s when one byte of it is flipped', async (name) => {
    const listed = pkg.manifest.items.find((item) => item.name === name);
    const report = await verifyPackage(withItem(name, (bytes) => flipByte(bytes)), options());
    expect(report.ok).toBe(false);
    expect(report.signature).toBe('ok');
    expect(report.items.filter((item) => item.status !== 'ok')).toEqual([
      { name, status: 'altered', expectedSha256: listed?.sha256, actualSha256: expect.not.stringMatching(listed?.sha256 ?? ''), expectedBytes: listed?.bytes, actualBytes: listed?.bytes },
    ]);
    expect(report.summary).toContain(`item ${name}: ALTERED`);
    expect(report.summary).toMatch(/FAILED: 1 problem/);
  });

  it('names an item that is missing and one the manifest does not list', async () => {
    const report = await verifyPackage({ ...withItem('flags.json', () => undefined), items: [...withItem('flags.json', () => undefined).items, { name: 'extra.txt', bytes: Buffer.from('x'), sha256: '' }] }, options());
    expect(report.items.filter((item) => item.status !== 'ok').map((item) => [item.name, item.status])).toEqual([
      ['flags.json', 'missing'],
      ['extra.txt', 'unexpected'],
    ]);
    expect(report.summary).toContain('item flags.json: MISSING');
    expect(report.summary).toContain('item extra.txt: UNEXPECTED');
  });

  it('finds a byte flipped in the manifest: the signature fails and the bytes no longer hash to the package id', async () => {
    // The flipped byte sits inside a hex digest, so the manifest still parses: what catches it is the hash and the signature.
    const at = pkg.manifestBytes.indexOf(pkg.manifest.items[0]?.sha256 ?? '') + 3;
    // Another hex digit, whatever the digest holds there (a bit flip could leave the hex alphabet).
    const changed = Buffer.from(pkg.manifestBytes);
    changed[at] = changed[at] === 0x30 ? 0x31 : 0x30;
    const report = await verifyPackage({ ...pkg, manifestBytes: changed }, options());
    expect(report.ok).toBe(false);
    expect(report.signature).toBe('bad');
    expect(report.manifest).toEqual({ ok: false, detail: expect.stringContaining(`not to the package id ${pkg.packageId}`) });
    expect(report.summary).toContain('signature: BAD');
  });

  it('reports a manifest that no longer reads as one, without checking what it cannot', async () => {
    const report = await verifyPackage({ ...pkg, manifestBytes: Buffer.from(`x${pkg.manifestBytes.toString('utf8')}`) }, options());
    expect(report).toMatchObject({ ok: false, signature: 'bad', manifest: { ok: false, detail: expect.stringContaining(`${MANIFEST_FILE} cannot be read`) }, items: [], events: [] });
    expect(report.summary).toContain('items: not checked');
  });

  it('finds a signature flipped, or made with a key that is not accepted', async () => {
    const flipped = Buffer.from(pkg.signature, 'base64');
    flipped[10] = (flipped[10] as number) ^ 0x80;
    expect(await verifyPackage({ ...pkg, signature: flipped.toString('base64') }, options())).toMatchObject({ ok: false, signature: 'bad', signatureDetail: expect.stringContaining('does not match') });

    const other = signerFromKey(generateKeyPairSync('ed25519').privateKey);
    expect(await verifyPackage(pkg, options({ publicKey: other.publicKey }))).toMatchObject({ ok: false, signature: 'bad', signatureDetail: expect.stringContaining('not among the accepted keys') });
    expect(await verifyPackage(pkg, options({ publicKey: [other.publicKey, signer.publicKey] }))).toMatchObject({ ok: true, signature: 'ok' });
  });

  it('names an event dropped from the store by id, stream and position', async () => {
    const dropped = eventOf('PaymentPosted');
    const report = await verifyPackage(pkg, options({ store: tampered(store, (events) => events.filter((event) => event.eventId !== dropped.eventId)) }));
    expect(report.ok).toBe(false);
    expect(report.events).toEqual([
      { kind: 'dropped', eventId: dropped.eventId, type: 'PaymentPosted', streamId: dropped.streamId, streamPosition: dropped.streamPosition, globalPosition: dropped.globalPosition, expectedSha256: expect.any(String) },
    ]);
    expect(report.summary).toContain(`event ${dropped.eventId}: DROPPED - PaymentPosted at ${dropped.streamId} position ${dropped.streamPosition}`);
  });

  it('names an event altered in the store, with the fields that changed', async () => {
    const altered = eventOf('PaymentPosted');
    const store2 = tampered(store, (events) =>
      events.map((event) => (event.eventId === altered.eventId ? { ...event, data: { ...event.data, amount: { minor: 500_000, currency: 'USD' } } } : event)),
    );
    const report = await verifyPackage(pkg, options({ store: store2 }));
    expect(report.ok).toBe(false);
    expect(report.events).toEqual([
      expect.objectContaining({ kind: 'altered', eventId: altered.eventId, streamId: altered.streamId, streamPosition: altered.streamPosition, changed: ['data.amount.minor'] }),
    ]);
    expect(report.summary).toContain(`event ${altered.eventId}: ALTERED - PaymentPosted at ${altered.streamId} position ${altered.streamPosition}`);
    expect(report.summary).toContain('changed: data.amount.minor');
  });

  it('names an event moved to another case as altered, not as dropped', async () => {
    const moved = history.events.find((event) => event.streamId.startsWith('contact-'))!;
    const report = await verifyPackage(pkg, options({ store: tampered(store, (events) => events.map((event) => (event.eventId === moved.eventId ? { ...event, metadata: { ...event.metadata, caseId: history.otherCaseId } } : event))) }));
    expect(report.events).toEqual([expect.objectContaining({ kind: 'altered', eventId: moved.eventId, changed: ['metadata.caseId'] })]);
  });

  it('reports an event added to the case since the package was fixed, without failing the package (unless strict)', async () => {
    await store.appendToStream(`legal-${history.caseId}`, [laterLegalEvent(history.caseId, pkg.packageId)], { expectedVersion: 'any' });
    const [added] = await store.readStream(`legal-${history.caseId}`, { direction: 'backwards', maxCount: 1 });
    const report = await verifyPackage(pkg, options());
    expect(report.ok).toBe(true);
    expect(report.events).toEqual([expect.objectContaining({ kind: 'added', since: true, eventId: added?.eventId, type: 'EvidenceFixed', streamId: `legal-${history.caseId}`, streamPosition: 1 })]);
    expect(report.summary).toContain('added since the package was fixed: 1 event(s)');
    expect(report.summary).toContain(`event ${added?.eventId}: EvidenceFixed at legal-${history.caseId} position 1`);

    expect(await verifyPackage(pkg, options({ strict: true }))).toMatchObject({ ok: false, summary: expect.stringContaining('FAILED: 1 problem') });
  });

  it('finds an event added inside the history the package fixed', async () => {
    const before = eventOf('PromiseBroken');
    const slipped: EventEnvelope = { ...before, eventId: randomUUID(), type: 'PromiseKept' };
    const report = await verifyPackage(pkg, options({ store: tampered(store, (events) => (events[0]?.streamId === before.streamId ? [...events, slipped] : events)) }));
    expect(report.ok).toBe(false);
    expect(report.events).toEqual([expect.objectContaining({ kind: 'added', since: false, eventId: slipped.eventId })]);
    expect(report.summary).toContain(`event ${slipped.eventId}: ADDED INSIDE THE FIXED HISTORY`);
  });

  it('reads the streams the package\'s events came from even when the index no longer lists them', async () => {
    const contact = history.events.find((event) => event.streamId.startsWith('contact-'))!;
    const report = await verifyPackage(pkg, options({ streams: [], store: tampered(store, (events) => events.filter((event) => event.eventId !== contact.eventId)) }));
    expect(report.events).toEqual([expect.objectContaining({ kind: 'dropped', eventId: contact.eventId })]);
  });
});
