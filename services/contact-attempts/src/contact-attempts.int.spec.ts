import { randomBytes, randomUUID } from 'node:crypto';
import { CommandClient } from '@arrears/messaging';
import { prometheusSample, startTelemetry } from '@arrears/observability';
import { readStream } from '@arrears/messaging/src/relay/testing/jetstream-log';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountEvent, accountPlaced, createTestSchema, databaseUrl, eventually, rejection, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_COMPLIANCE_CONFIG } from './compliance';
import { startContactAttemptsService, type ContactAttemptsService } from './service';

const PHONE = '+1 (312) 555-0199';

/**
 * The contact-attempts service as it runs: commands over NATS, the debtor's profile read from the account's own
 * events at each decision, decisions stored and projected through the relay into its read model.
 */
describe('contact attempts over NATS', () => {
  let harness: RelayHarness;
  let schemas: TestSchema[] = [];
  let service: ContactAttemptsService;
  let client: CommandClient;

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('contact') });
    schemas = [await createTestSchema('contact_keys'), await createTestSchema('contact_read')];
    service = await startContactAttemptsService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      masterKey: randomBytes(32),
      compliance: DEFAULT_COMPLIANCE_CONFIG,
      topology: harness.topology,
      nats: harness.nats,
      keyCacheTtlMs: 0,
    });
    (await harness.relay()).start();
    client = new CommandClient({ connection: harness.nats, topology: harness.topology });
  });

  afterAll(async () => {
    await service?.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  /** The account as the accounts service would have stored it, its phone encrypted under the debtor's key. */
  async function placeAccount(accountId: string, debtorId: string): Promise<void> {
    const placed = accountPlaced(accountId, {
      debtorId,
      name: await service.vault.encrypt(debtorId, 'name', 'Ada Example'),
      phones: [{ number: await service.vault.encrypt(debtorId, 'phone', PHONE), kind: 'mobile' }],
    });
    await harness.store.appendToStream(`account-${accountId}`, [placed], { expectedVersion: 'no_stream' });
  }

  const send = <T>(type: string, data: Record<string, unknown>, role: 'collector' | 'dialer' | 'supervisor' = 'collector') =>
    client.send<T>('contact-attempts', { type, data, metadata: { correlationId: randomUUID(), actorId: `${role}-7`, actorRole: role, now: '2026-11-30T15:55:00.000Z' } });

  it('decides before the contact: allowed, refused for a number not on file, blocked by a hold set a moment ago; outcome notes encrypted and checked', async () => {
    const accountId = randomUUID();
    const debtorId = randomUUID();
    await placeAccount(accountId, debtorId);

    const first = randomUUID();
    const allowed = await send<{ events: { type: string; data: Record<string, unknown> }[] }>('RequestContact', {
      contactId: first,
      accountId,
      channel: 'call',
      target: { kind: 'phone', value: '3125550199' },
      intendedAt: '2026-11-30T16:00:00.000Z',
    });
    expect(allowed.events.map((event) => event.type)).toEqual(['ContactAllowed']);
    expect(JSON.stringify(allowed)).not.toMatch(/555.?0199|3125550199/);

    // The number goes to the dialer only, as it is on file; everyone else is refused.
    const forCollector = await rejection(send('ReleaseDialTarget', { contactId: first, accountId }));
    expect(forCollector).toMatchObject({ code: 'FORBIDDEN', field: 'metadata.actorRole' });
    const forDialer = await send<{ events: { type: string }[]; target: { kind: string; value: string } }>('ReleaseDialTarget', { contactId: first, accountId }, 'dialer');
    expect(forDialer).toMatchObject({ events: [{ type: 'DialTargetReleased' }], target: { kind: 'phone', value: PHONE } });

    const notOnFile = await rejection(send('RequestContact', { contactId: randomUUID(), accountId, channel: 'call', target: { kind: 'phone', value: '+1 312 555 0100' }, intendedAt: '2026-11-30T16:00:00.000Z' }));
    expect(notOnFile).toMatchObject({ code: 'VALIDATION_FAILED', field: 'data.target.value' });

    const outcome = await send<{ events: { type: string }[] }>('RecordAttemptOutcome', { contactId: first, accountId, outcome: 'refused', notes: 'Told him the police will come if he does not pay.' });
    expect(outcome.events.map((event) => event.type)).toEqual(['AttemptOutcomeRecorded', 'ProhibitedLanguageDetected']);

    // The accounts service flags cease-communication: the very next request sees it, with no projection in between.
    await harness.store.appendToStream(`account-${accountId}`, [accountEvent({ type: 'AccountFlagged', data: { accountId, flag: 'cease-communication', reason: 'letter from debtor' } })], {
      expectedVersion: 0,
    });
    const blocked = await send<{ events: { type: string; data: { reasons: { ruleId: string }[] } }[] }>('RequestContact', {
      contactId: randomUUID(),
      accountId,
      channel: 'call',
      target: { kind: 'phone', value: PHONE },
      intendedAt: '2026-12-09T16:00:00.000Z',
    });
    expect(blocked.events[0]?.type).toBe('ContactBlocked');
    expect(blocked.events[0]?.data.reasons.map((reason) => reason.ruleId)).toContain('hold.cease-communication');

    const stored = await harness.store.readStream(`contact-${debtorId}`);
    expect(stored.map((event) => event.type)).toEqual(['ContactAllowed', 'DialTargetReleased', 'AttemptOutcomeRecorded', 'ProhibitedLanguageDetected', 'ContactBlocked']);
    expect(JSON.stringify(stored)).not.toMatch(/police will come|555.?0199|3125550199/);
    expect(stored.every((event) => event.metadata.caseId === accountId && ['collector-7', 'dialer-7'].includes(event.metadata.actorId))).toBe(true);
    expect(stored.find((event) => event.type === 'DialTargetReleased')?.metadata).toMatchObject({ actorId: 'dialer-7', actorRole: 'dialer' });

    const history = await eventually(async () => {
      const page = await service.queries.history({ accountId });
      expect(page.rows).toHaveLength(2);
      return page;
    });
    expect(history.rows.map((row) => [row.decision, row.outcome])).toEqual([
      ['blocked', null],
      ['allowed', 'refused'],
    ]);
  });

  it("takes a target by its place on the debtor's file, for a caller who sees only masked numbers; a place with nothing there is refused", async () => {
    const accountId = randomUUID();
    const debtorId = randomUUID();
    const SECOND = '+1 (312) 555-0142';
    const placed = accountPlaced(accountId, {
      debtorId,
      name: await service.vault.encrypt(debtorId, 'name', 'Ada Example'),
      phones: [
        { number: await service.vault.encrypt(debtorId, 'phone', PHONE), kind: 'mobile' },
        { number: await service.vault.encrypt(debtorId, 'phone', SECOND), kind: 'work' },
      ],
    });
    await harness.store.appendToStream(`account-${accountId}`, [placed], { expectedVersion: 'no_stream' });
    const request = (target: Record<string, unknown>, contactId = randomUUID()) =>
      send<{ events: { type: string; data: { target: { key: string } } }[] }>('RequestContact', { contactId, accountId, channel: 'call', target, intendedAt: '2026-11-30T16:00:00.000Z' });

    const byPlace = randomUUID();
    const second = await request({ kind: 'phone', onFile: 1 }, byPlace);
    expect(second.events.map((event) => event.type)).toEqual(['ContactAllowed']);
    // The same number as when it is spelt out: one number, one key, one count for the frequency rules.
    const spelt = await request({ kind: 'phone', value: '312-555-0142' });
    expect(second.events[0]?.data.target.key).toBe(spelt.events[0]?.data.target.key);
    const first = await request({ kind: 'phone', onFile: 0 });
    expect(first.events[0]?.data.target.key).not.toBe(second.events[0]?.data.target.key);
    // The dialer gets the number at that place.
    const released = await send<{ target: { kind: string; value: string } }>('ReleaseDialTarget', { contactId: byPlace, accountId }, 'dialer');
    expect(released.target).toEqual({ kind: 'phone', value: SECOND });

    const before = (await harness.store.readStream(`contact-${debtorId}`)).length;
    for (const [target, detail] of [
      [{ kind: 'phone', onFile: 2 }, /2 phones are on file \(places 0–1\)/],
      [{ kind: 'email', onFile: 0 }, /0 emails are on file/],
      [{ kind: 'attorney', onFile: 0 }, /not represented by an attorney/],
    ] as const) {
      const refused = await rejection(request(target));
      expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', field: 'data.target.onFile', message: expect.stringMatching(detail) });
    }
    const both = await rejection(request({ kind: 'phone', onFile: 0, value: PHONE }));
    expect(both).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await harness.store.readStream(`contact-${debtorId}`)).toHaveLength(before);
  });

  it('keeps scripts clean: a threat is refused and recorded, a clean script saved — beside the contact read models', async () => {
    const scriptId = randomUUID();
    type Reply = { events: { type: string; data: Record<string, unknown> }[] };
    const refused = await send<Reply>('SaveScript', { scriptId, title: 'Final reminder', language: 'en', text: 'Pay now or you will be arrested.' }, 'supervisor');
    expect(refused.events.map((event) => event.type)).toEqual(['ScriptRejected']);
    const saved = await send<Reply>('SaveScript', { scriptId, title: 'Final reminder', language: 'en', text: 'Please call us today to agree a plan.' }, 'supervisor');
    expect(saved.events).toEqual([expect.objectContaining({ type: 'ScriptSaved', data: expect.objectContaining({ version: 1 }) })]);
    expect((await harness.store.readStream(`script-${scriptId}`)).map((event) => event.type)).toEqual(['ScriptRejected', 'ScriptSaved']);
    // The script events reach the read models' consumer too, which passes them by: all acknowledged, none redelivered.
    const published = await eventually(async () => {
      const messages = await readStream(harness.js, harness.jsm, harness.topology.eventsStream);
      const scripts = messages.filter((message) => message.streamId === `script-${scriptId}`);
      expect(scripts).toHaveLength(2);
      return Math.max(...messages.map((message) => message.sequence));
    });
    await eventually(async () => {
      const info = await harness.jsm.consumers.info(harness.topology.eventsStream, 'contact-attempts__read-models');
      expect(info.ack_floor.stream_seq).toBeGreaterThanOrEqual(published);
      expect(info.num_redelivered).toBe(0);
    });
  });

  it('counts each compliance decision, and each block under the rule that made it, once however often the command is retried', async () => {
    const telemetry = startTelemetry({ serviceName: 'contact-attempts', env: {} });
    try {
      const accountId = randomUUID();
      const debtorId = randomUUID();
      await placeAccount(accountId, debtorId);
      const metadata = { correlationId: randomUUID(), actorId: 'collector-7', actorRole: 'collector' as const, now: '2026-11-30T15:55:00.000Z' };
      const request = (intendedAt: string) => ({ type: 'RequestContact', data: { contactId: randomUUID(), accountId, channel: 'call', target: { kind: 'phone', value: PHONE }, intendedAt }, metadata });
      const scrape = () => telemetry.renderMetrics();
      const blocks = (text: string) => prometheusSample(text, 'arrears_compliance_blocks_total', { rule: 'hold.cease-communication', service_name: 'contact-attempts' }) ?? 0;
      const checks = (text: string, outcome: string) => prometheusSample(text, 'arrears_compliance_checks_total', { outcome }) ?? 0;
      const before = await scrape();

      await send('RequestContact', request('2026-11-30T16:00:00.000Z').data);
      await harness.store.appendToStream(`account-${accountId}`, [accountEvent({ type: 'AccountFlagged', data: { accountId, flag: 'cease-communication', reason: 'letter from debtor' } })], {
        expectedVersion: 0,
      });
      const blocked = client.prepare('contact-attempts', request('2026-12-09T16:00:00.000Z'));
      const first = await client.send<{ events: { type: string }[] }>('contact-attempts', blocked);
      const retried = await client.send<{ events: { type: string }[] }>('contact-attempts', blocked);
      expect([first.events[0]?.type, retried.events[0]?.type]).toEqual(['ContactBlocked', 'ContactBlocked']);

      const after = await scrape();
      expect(blocks(after)).toBe(blocks(before) + 1);
      expect(checks(after, 'blocked')).toBe(checks(before, 'blocked') + 1);
      expect(checks(after, 'allowed')).toBe(checks(before, 'allowed') + 1);
    } finally {
      await telemetry.shutdown();
    }
  });
});
