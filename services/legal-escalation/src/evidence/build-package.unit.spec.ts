import { randomUUID } from 'node:crypto';
import { ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { InMemoryEventStore } from '@arrears/event-store';
import { buildPackage, type BuildPackageInput } from './build-package';
import { canonicalJson, sha256Hex } from './canonical-json';
import { gatherCase } from './gather';
import { ITEM_NAMES, parseManifest, PACKAGE_FORMAT } from './manifest';
import { signerFromEnv } from './signer';
import { appendCaseHistory, type CaseHistory } from './testing/case-history';

describe('building an evidence package', () => {
  const signer = signerFromEnv({ NODE_ENV: 'test' });
  let history: CaseHistory;
  let input: BuildPackageInput;

  beforeAll(async () => {
    const store = new InMemoryEventStore();
    history = await appendCaseHistory(store);
    const events = await gatherCase(store, history.streams, history.caseId);
    input = { caseId: history.caseId, accountId: history.accountId, reasons: history.reasons, requestedAt: history.requestedAt, events, signer };
  });

  const item = (pkg: { items: readonly { name: string; bytes: Buffer }[] }, name: string) => {
    const found = pkg.items.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no item ${name}`);
    return found.bytes;
  };
  const json = (pkg: { items: readonly { name: string; bytes: Buffer }[] }, name: string) => JSON.parse(item(pkg, name).toString('utf8'));

  it('names the package by the SHA-256 of the manifest\'s bytes, which are canonical JSON', async () => {
    const pkg = await buildPackage(input);
    expect(pkg.packageId).toBe(sha256Hex(pkg.manifestBytes));
    expect(pkg.manifestBytes.toString('utf8')).toBe(canonicalJson(JSON.parse(pkg.manifestBytes.toString('utf8'))));
    expect(parseManifest(pkg.manifestBytes)).toEqual(pkg.manifest);
  });

  it('lists the case, the reasons, the time, the key, every item with its SHA-256 and length, and every event with its hash', async () => {
    const pkg = await buildPackage(input);
    const { manifest } = pkg;
    expect(manifest).toMatchObject({ format: PACKAGE_FORMAT, caseId: history.caseId, accountId: history.accountId, reasons: history.reasons, requestedAt: history.requestedAt, keyId: signer.keyId });
    expect(manifest.items.map((listed) => listed.name)).toEqual([...ITEM_NAMES]);
    for (const listed of manifest.items) {
      expect(listed).toEqual({ name: listed.name, sha256: sha256Hex(item(pkg, listed.name)), bytes: item(pkg, listed.name).length });
    }
    expect(manifest.events).toEqual(
      input.events.map((event) => ({
        eventId: event.eventId,
        streamId: event.streamId,
        streamPosition: event.streamPosition,
        globalPosition: event.globalPosition,
        type: event.type,
        sha256: sha256Hex(canonicalJson(event)),
      })),
    );
  });

  it('signs the manifest\'s bytes with Ed25519', async () => {
    const { verify } = await import('node:crypto');
    const pkg = await buildPackage(input);
    expect(verify(null, pkg.manifestBytes, signer.publicKey, Buffer.from(pkg.signature, 'base64'))).toBe(true);
  });

  it('gives the same package, to the byte, for the same evidence fixed twice — whatever order the events come in', async () => {
    const first = await buildPackage(input);
    const second = await buildPackage({ ...input, events: [...input.events].reverse() });
    expect(second.packageId).toBe(first.packageId);
    expect(second.items.map((entry) => entry.bytes)).toEqual(first.items.map((entry) => entry.bytes));
    expect(second.signature).toBe(first.signature);
  });

  it('gives another package for other evidence: one more event, or another request time', async () => {
    const first = await buildPackage(input);
    expect((await buildPackage({ ...input, events: input.events.slice(0, -1) })).packageId).not.toBe(first.packageId);
    expect((await buildPackage({ ...input, requestedAt: '2027-03-02T09:00:00.000Z' })).packageId).not.toBe(first.packageId);
  });

  it('keeps the complete history in events.jsonl: every envelope, one canonical line each', async () => {
    const pkg = await buildPackage(input);
    const lines = item(pkg, 'events.jsonl').toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(input.events.map((event) => canonicalJson(event)));
    expect(lines.map((line) => JSON.parse(line) as EventEnvelope)).toEqual(input.events);
  });

  it('states the balance build-up: placement, each payment with allocation and balance after, adjustments, and the balance now', async () => {
    const statement = json(await buildPackage(input), 'statement.json');
    expect(statement).toMatchObject({
      accountId: history.accountId,
      currency: 'USD',
      creditor: { creditorId: 'acme', name: 'Acme Bank' },
      creditorReference: 'CC-1',
      placement: { balance: { principal: 80_000, fees: 0, interest: 0, total: 80_000 } },
      current: { balance: { total: 50_000 }, credit: 0 },
      totals: { paid: 30_000, payments: 2, waived: 0 },
      closing: null,
    });
    expect(statement.lines.map((line: { kind: string }) => line.kind)).toEqual(['payment', 'payment', 'adjustment']);
    expect(statement.lines[0]).toMatchObject({ paymentReference: 'PAY-1001', amount: 5_000, allocation: { principal: 5_000 }, balanceAfter: { total: 75_000 } });
    expect(statement.lines[2]).toMatchObject({ adjustment: 'interest-freeze', approvedBy: 'supervisor-2', interestFrozen: true });
  });

  it('logs each contact with its compliance decision and reasons, its outcome, and the complaint', async () => {
    const contacts = json(await buildPackage(input), 'contacts.json');
    expect(contacts.totals).toEqual({ allowed: 1, blocked: 1, outcomes: { 'promise-offered': 1 }, conversations: 1, complaints: 1, complaintsUpheld: 0 });
    const [allowed, blocked] = contacts.attempts;
    expect(allowed).toMatchObject({ channel: 'call', decision: { result: 'allowed', reasons: [] }, outcome: { outcome: 'promise-offered', durationSeconds: 312, notes: '[encrypted personal data]' } });
    expect(blocked).toMatchObject({ decision: { result: 'blocked', reasons: [{ ruleId: 'reg-f.call-hours' }], nextAllowedAt: '2026-12-21T14:00:00.000Z' }, outcome: null });
    expect(contacts.complaints[0]).toMatchObject({ category: 'time-of-day', description: '[encrypted personal data]', resolution: { upheld: false } });
  });

  it('follows each promise and plan to its outcome, and each flag from set to cleared', async () => {
    const pkg = await buildPackage(input);
    const { promises, plans, totals } = json(pkg, 'promises-and-plans.json');
    expect(totals).toEqual({ promises: 1, kept: 0, broken: 1, plans: 1, defaulted: 1, instalmentsMissed: 1 });
    expect(promises[0]).toMatchObject({ promiseId: history.promiseId, amount: 20_000, status: 'broken', payments: [{ paymentReference: 'PAY-1001', applied: 5_000 }], outcome: { paid: 5_000, brokenOn: '2026-12-19' } });
    expect(plans[0]).toMatchObject({ planId: history.planId, status: 'defaulted', accepted: { commitment: { documentId: 'doc-plan-7781' } }, outcome: { outstanding: 50_000 } });
    expect(plans[0].instalments.map((instalment: { status: string }) => instalment.status)).toEqual(['paid', 'missed', 'due']);
    expect(json(pkg, 'flags.json')).toMatchObject({ active: [], periods: [{ flag: 'dispute', set: { reason: 'Debtor disputes the fees' }, cleared: { reason: 'Fee schedule sent; dispute withdrawn' } }] });
  });

  it('never carries a personal field out of events.jsonl into a view', async () => {
    const pkg = await buildPackage(input);
    for (const name of ITEM_NAMES.filter((candidate) => candidate !== 'events.jsonl')) expect(item(pkg, name).toString('latin1')).not.toContain('pii:v1:');
    expect(item(pkg, 'events.jsonl').toString('utf8')).toContain('pii:v1:');
  });

  it('keeps an event no contract describes in the history and says so, instead of failing', async () => {
    const unknown = { ...input.events[0]!, eventId: randomUUID(), type: 'SomethingNobodyPublished', streamPosition: 99, globalPosition: '999:1' } as EventEnvelope;
    const pkg = await buildPackage({ ...input, events: [...input.events, unknown] });
    expect(pkg.manifest.events.at(-1)).toMatchObject({ eventId: unknown.eventId, type: 'SomethingNobodyPublished' });
  });

  it.each([
    ['caseId', { caseId: 'case-1' }],
    ['accountId', { accountId: '' }],
    ['requestedAt', { requestedAt: 'yesterday' }],
    ['reasons', { reasons: [] }],
    ['reasons', { reasons: ['  '] }],
    ['events[0].streamId', { events: [{ streamId: 'Nope' }] }],
  ])('refuses bad input, naming %s', async (field, change) => {
    const events = 'events' in change ? [{ ...input.events[0], ...(change.events as object[])[0] }] : input.events;
    await expect(buildPackage({ ...input, ...change, events } as BuildPackageInput)).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field });
  });

  it('refuses one event id with two contents rather than picking one', async () => {
    const [first] = input.events;
    await expect(buildPackage({ ...input, events: [...input.events, { ...first!, occurredAt: '2020-01-01T00:00:00.000Z' }] })).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'events' });
  });
});
