import { randomUUID } from 'node:crypto';
import { ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { databaseUrl, newEvent } from '@arrears/testing';
import { Pool } from 'pg';
import { AuditLedger, writerPoolConfig } from './audit-ledger';
import { CaseChainScanner } from './case-scan';
import { checkCheckpointSignature, parseCheckpointText } from './checkpoint';
import { ledgerCasesOf, ledgerText } from './ledger-event';
import { LedgerScanner } from './ledger-scan';
import type { LedgerProblem } from './problems';
import { signerFromEnv } from './signer';
import { openHarness, relayed, writeHistory, type History, type LedgerHarness } from './testing/harness';
import { decodeCaseChains, modelLedger } from './testing/model';

describe('the audit ledger in PostgreSQL', () => {
  let harness: LedgerHarness;
  let history: History;
  let events: EventEnvelope[];

  beforeAll(async () => {
    harness = await openHarness();
    history = await writeHistory(harness.store);
    events = await harness.store.readAll();
  });

  afterAll(async () => {
    await harness?.drop();
  });

  const count = async (table: 'entries' | 'case_entries' | 'checkpoints') => Number((await harness.ledgerSchema.pool.query(`select count(*) from ${harness.table(table)}`)).rows[0].count);

  it('migrates once when several instances start together', async () => {
    const other = new Pool({ connectionString: databaseUrl(), max: 2 });
    try {
      const schema = harness.ledgerSchema.name;
      await Promise.all([new AuditLedger({ pool: harness.ledgerSchema.pool, schema }).migrate(), new AuditLedger({ pool: other, schema }).migrate()]);
    } finally {
      await other.end();
    }
    const applied = await harness.ledgerSchema.pool.query(`select id from "${harness.ledgerSchema.name}".schema_migrations`);
    expect(applied.rows).toEqual([{ id: 1 }]);
  });

  it('appends events in the order given, with the hashes and links the formulas give (the SQL and the verifier agree)', async () => {
    const appended = [];
    for (const event of events) appended.push(await harness.ledger.append(relayed(event)));
    const model = modelLedger(events);
    expect(appended.map((entry) => entry.seq)).toEqual(events.map((_, index) => index + 1));
    expect(appended.every((entry) => entry.appended)).toBe(true);
    expect(appended.map((entry) => [entry.eventId, entry.eventHash, entry.globalHash])).toEqual(
      model.rows.map((row) => [row.eventId, row.eventHash, row.globalHash]),
    );
    const caseLinks = appended.flatMap((entry) => entry.cases.map((link) => `${link.caseId}/${link.caseSeq}/${entry.seq}/${link.caseHash}`)).sort();
    expect(caseLinks).toEqual(model.caseRows.map((row) => `${row.caseId}/${row.caseSeq}/${row.seq}/${row.caseHash.toString('hex')}`).sort());
    // The scan rows PostgreSQL builds for verification are the model's, columns included.
    expect(await harness.ledger.readEntryRows(0, 1_000, 1_000)).toEqual(model.rows);
    // So are the case chains it packs, read a case at a time.
    const chains = [];
    for (let after: string | undefined; ; ) {
      const page = await harness.ledger.readCaseChains(after, 1_000, 1);
      if (page.length === 0) break;
      chains.push(...page);
      after = page[0]?.caseId;
    }
    expect(decodeCaseChains(chains)).toEqual(model.caseRows.map((row) => ({ ...row, eventId: null })));
    expect(decodeCaseChains(await harness.ledger.readCaseChains(undefined, 5, 1_000)).map((row) => row.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stores the envelope as the store holds it (the relay\'s trace left out), and the columns it says', async () => {
    const [entry] = await harness.ledger.entries({ afterSeq: 0, limit: 1 });
    const event = events[0] as EventEnvelope;
    expect(event.metadata.trace).toBeDefined();
    const { trace: _trace, ...metadata } = event.metadata;
    expect(entry).toMatchObject({
      seq: 1,
      eventId: event.eventId,
      caseIds: ledgerCasesOf(event),
      streamId: event.streamId,
      streamPosition: event.streamPosition,
      globalPosition: event.globalPosition,
      type: event.type,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      actorId: event.metadata.actorId,
      actorRole: event.metadata.actorRole,
      text: ledgerText(event),
      event: { ...event, metadata },
    });
    expect(Date.parse(entry?.appendedAt ?? '')).not.toBeNaN();
    const page = await harness.ledger.entries({ afterSeq: 5, limit: 3 });
    expect(page.map((item) => item.seq)).toEqual([6, 7, 8]);
  });

  it('appends a redelivered event once: the second delivery writes nothing and gives back its entry', async () => {
    const before = await Promise.all([count('entries'), count('case_entries')]);
    const event = events[3] as EventEnvelope;
    const again = await harness.ledger.append(relayed(event));
    expect(again).toMatchObject({ seq: 4, eventId: event.eventId, appended: false });
    expect(again.cases.map((link) => link.caseId)).toEqual(ledgerCasesOf(event));
    const batch = await harness.ledger.appendAll([event, events[4] as EventEnvelope]);
    expect(batch.map((entry) => [entry.seq, entry.appended])).toEqual([[4, false], [5, false]]);
    expect(await Promise.all([count('entries'), count('case_entries')])).toEqual(before);
  });

  it('refuses an event id it holds with other content, and a malformed envelope, writing nothing', async () => {
    const before = await count('entries');
    const event = events[2] as EventEnvelope;
    await expect(harness.ledger.append({ ...event, data: { ...event.data, amount: { minor: 1, currency: 'USD' } } })).rejects.toMatchObject({
      code: ErrorCode.IDEMPOTENCY_CONFLICT,
      message: `Event ${event.eventId} is already in the ledger at seq 3 with other content`,
    });
    await expect(harness.ledger.append({ ...event, eventId: randomUUID(), streamPosition: -1 })).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamPosition' });
    await expect(harness.ledger.appendAll([{ ...event, eventId: randomUUID() }, { ...event, eventId: 'nope' }])).rejects.toMatchObject({ field: 'events[1].eventId' });
    expect(await count('entries')).toBe(before);
  });

  it('gives a case its entries in order, an event of two cases in both chains, and the entries recorded by a moment', async () => {
    const [caseId, next] = history.cases as [string, string];
    const expected = events.filter((event) => ledgerCasesOf(event).includes(caseId));
    const entries = await harness.ledger.entriesOfCase(caseId.toUpperCase());
    expect(entries.map((entry) => entry.eventId)).toEqual(expected.map((event) => event.eventId));
    expect(entries.map((entry) => entry.caseSeq)).toEqual(expected.map((_, index) => index + 1));
    const reassignment = expected.find((event) => event.type === 'CaseReassigned' && (event.data as { caseId: string }).caseId === next);
    expect(reassignment).toBeDefined();
    expect((await harness.ledger.eventsOfCase(next)).map((event) => event.eventId)).toContain(reassignment?.eventId);
    const { trace: _trace, ...metadata } = expected[0]?.metadata ?? {};
    expect((await harness.ledger.eventsOfCase(caseId))[0]).toEqual({ ...expected[0], metadata });
    expect(await harness.ledger.eventsOfCase(caseId, { until: '2000-01-01T00:00:00Z' })).toEqual([]);
    expect(await harness.ledger.eventsOfCase(caseId, { until: '2999-01-01T00:00:00+02:00' })).toHaveLength(expected.length);
    await expect(harness.ledger.entriesOfCase('case-1')).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
    await expect(harness.ledger.entriesOfCase(caseId, { until: 'yesterday' })).rejects.toMatchObject({ field: 'until' });
  });

  it('keeps one valid chain when many callers append at once, each event once', async () => {
    const concurrent = await openHarness();
    try {
      await writeHistory(concurrent.store, { cases: 6, rounds: 5 });
      const all = await concurrent.store.readAll();
      const pools = Array.from({ length: 8 }, () => new Pool({ connectionString: databaseUrl(), max: 1 }));
      try {
        // Every caller appends every event, each starting at another place: the lock serialises them, the event ids
        // dedupe them.
        await Promise.all(
          pools.map(async (pool, caller) => {
            const ledger = new AuditLedger({ pool, schema: concurrent.ledgerSchema.name });
            for (let index = 0; index < all.length; index += 1) await ledger.append(all[(index + caller * 7) % all.length] as EventEnvelope);
          }),
        );
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
      expect((await concurrent.ledger.head()).seq).toBe(all.length);
      const problems: LedgerProblem[] = [];
      const scanner = new LedgerScanner((problem) => problems.push(problem));
      scanner.push(await concurrent.ledger.readEntryRows(0, 10_000, 10_000));
      scanner.end();
      const cases = new CaseChainScanner((problem) => problems.push(problem));
      const caseRows = decodeCaseChains(await concurrent.ledger.readCaseChains(undefined, 10_000, 10_000));
      cases.push(caseRows);
      cases.end();
      // The order is the callers' race, not the store's; the chains and the sequence must hold whatever it was.
      expect(problems.filter((problem) => problem.check !== 'order')).toEqual([]);
      expect(scanner.entries).toBe(all.length);
      expect(caseRows).toHaveLength(all.reduce((sum, event) => sum + ledgerCasesOf(event).length, 0));
    } finally {
      await concurrent.drop();
    }
  });

  describe('is insert-only', () => {
    const tables = ['entries', 'case_entries', 'checkpoints'] as const;
    const changes = (table: (typeof tables)[number]) => [
      `update ${harness.table(table)} set seq = seq`,
      `delete from ${harness.table(table)}`,
      `truncate ${harness.table(table)} cascade`,
    ];

    beforeAll(async () => {
      await harness.ledger.checkpoint();
    });

    it('for the writer role: it may read, append and checkpoint, and may not update, delete or truncate', async () => {
      const writer = new Pool({ connectionString: databaseUrl(), max: 2, ...writerPoolConfig() });
      try {
        expect((await writer.query('select current_user')).rows[0].current_user).toBe('arrears_audit_writer');
        const ledger = new AuditLedger({ pool: writer, schema: harness.ledgerSchema.name, signer: signerFromEnv({ NODE_ENV: 'test' }) });
        await harness.store.appendToStream(`account-${history.cases[0]}`, [newEvent('PaymentPosted', { amount: { minor: 5, currency: 'USD' } }, history.cases[0])], { expectedVersion: 'any' });
        const [latest] = await harness.store.readAll({ after: events[events.length - 1]?.globalPosition });
        expect((await ledger.append(latest as EventEnvelope)).appended).toBe(true);
        expect((await ledger.checkpoint())?.created).toBe(true);
        expect((await ledger.entries({ limit: 1 }))[0]?.seq).toBe(1);
        for (const table of tables) {
          for (const sql of changes(table)) {
            await expect(writer.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('permission denied') });
          }
        }
      } finally {
        await writer.end();
      }
    });

    it.each(tables)('for the owner too: the triggers refuse to update, delete from or truncate %s, and nothing changes', async (table) => {
      const before = await count(table);
      for (const sql of changes(table)) {
        await expect(harness.ledgerSchema.pool.query(sql)).rejects.toMatchObject({
          code: 'AR423',
          message: `${harness.ledgerSchema.name}.${table} is insert-only: the audit ledger is never changed or removed`,
        });
      }
      expect(await count(table)).toBe(before);
    });
  });

  describe('checkpoints', () => {
    it('sign the heads, write nothing while nothing was appended, and number themselves without gaps under concurrency', async () => {
      const ledger = harness.ledger;
      const signer = signerFromEnv({ NODE_ENV: 'test' });
      const head = await ledger.head();
      // The writer's test checkpointed the head already: nothing was appended since, so nothing is written.
      const first = await ledger.checkpoint({ at: '2027-03-01T10:00:00+01:00' });
      expect(first?.created).toBe(false);
      const latest = (await ledger.storedCheckpoints()).pop();
      expect(first?.checkpoint.seq).toBe(head.seq);
      expect(latest?.seq).toBe(head.seq);
      expect(first?.checkpoint.globalHead).toBe(head.globalHash);
      expect(checkCheckpointSignature(first?.checkpoint ?? { text: '', signature: '', keyId: '' }, [signer.publicKey])).toEqual({ ok: true, keyId: 'ea053771a5e80087' });
      expect(parseCheckpointText(latest?.text ?? '')).toMatchObject({ payload: { seq: head.seq, keyId: 'ea053771a5e80087' } });

      const numbers = (await ledger.storedCheckpoints()).map((checkpoint) => checkpoint.number);
      await harness.store.appendToStream(`account-${history.cases[1]}`, [newEvent('PaymentPosted', { amount: { minor: 7, currency: 'USD' } }, history.cases[1])], { expectedVersion: 'any' });
      await harness.feed();
      const results = await Promise.all([ledger.checkpoint(), ledger.checkpoint(), ledger.checkpoint()]);
      expect(results.filter((result) => result?.created)).toHaveLength(1);
      const all = await ledger.storedCheckpoints();
      expect(all.map((checkpoint) => checkpoint.number)).toEqual([...numbers, (numbers[numbers.length - 1] ?? 0) + 1]);
      expect(all[all.length - 1]?.seq).toBe((await ledger.head()).seq);
      expect(all[all.length - 1]?.cases).toBe(history.cases.length);
    });

    it('need a signer, and write nothing on an empty ledger', async () => {
      await expect(new AuditLedger({ pool: harness.ledgerSchema.pool, schema: harness.ledgerSchema.name }).checkpoint()).rejects.toMatchObject({ field: 'signer' });
      const empty = await openHarness();
      try {
        expect(await empty.ledger.checkpoint()).toBeUndefined();
      } finally {
        await empty.drop();
      }
    });
  });

  it('refuses a schema or role name that is not a plain PostgreSQL name', () => {
    expect(() => new AuditLedger({ pool: harness.ledgerSchema.pool, schema: 'Audit"; drop' })).toThrow("The ledger's schema must be a lower-case PostgreSQL name");
    expect(() => writerPoolConfig('writer role')).toThrow("The ledger's writerRole must be");
  });
});
