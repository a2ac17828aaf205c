import { randomUUID } from 'node:crypto';
import { ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { QueryClient, type QueryAsker } from '@arrears/messaging';
import { accountPlaced, paymentPosted, rejection } from '@arrears/testing';
import { auditQueryHandlers, type FileAnswer } from './audit-queries';
import { AuditLedger } from './ledger';
import { asAttacker } from './ledger/testing/harness';
import { startRunningAudit, type RunningAudit } from './testing/running-audit';

/**
 * The auditor's queries answered by the running audit service over NATS, from the ledger the service fed itself:
 * the same answers and the same bytes as the command line, errors naming the field, tampering named at its entry.
 */
describe('the audit service answering the auditors’ queries over NATS', () => {
  const auditor: QueryAsker = { actorId: 'auditor-1', actorRole: 'auditor' };
  let audit: RunningAudit;
  let client: QueryClient;
  const ask = <Result = Record<string, unknown>>(query: string, params: Record<string, unknown>, timeoutMs = 20_000) => client.ask<Result>('audit', query, params, auditor, { timeoutMs });

  /** An account placed on 2026-11-29 09:00Z with 800.00 owed; 10.00 paid on the 29th and on the 30th (10:00Z). */
  const placeCase = async (): Promise<{ caseId: string; events: EventEnvelope[] }> => {
    const caseId = randomUUID();
    const events = await audit.record(`account-${caseId}`, [
      accountPlaced(caseId),
      paymentPosted(caseId, { reference: 'P-1', minor: 1_000, receivedOn: '2026-11-29', principalAfter: 79_000 }),
      paymentPosted(caseId, { reference: 'P-2', minor: 1_000, receivedOn: '2026-11-30', principalAfter: 78_000 }),
    ]);
    return { caseId, events };
  };

  beforeAll(async () => {
    audit = await startRunningAudit('audit_queries');
    client = new QueryClient({ connection: audit.harness.nats, topology: audit.harness.topology });
  });

  afterAll(() => audit?.close());

  it('pages a case’s timeline, and gives the whole as the bytes of `audit replay`', async () => {
    const { caseId, events } = await placeCase();
    const whole = await ask<{ total: number; entries: { eventId: string; type: string }[]; nextOffset: number | null }>('CaseTimeline', { caseId });
    expect(whole).toMatchObject({ caseId, total: 3, offset: 0, nextOffset: null });
    expect(whole.entries.map((entry) => [entry.eventId, entry.type])).toEqual(events.map((event) => [event.eventId, event.type]));
    const first = await ask('CaseTimeline', { caseId, limit: 2 });
    const second = await ask('CaseTimeline', { caseId, offset: 2, limit: 2 });
    expect([first['nextOffset'], second['nextOffset']]).toEqual([2, null]);
    expect([...(first['entries'] as unknown[]), ...(second['entries'] as unknown[])]).toEqual(whole.entries);

    const replay = await ask<FileAnswer>('CaseTimelineJsonl', { caseId });
    expect(replay).toEqual({ body: (await audit.cli('replay', caseId)).out, filename: `case-${caseId}-timeline.jsonl` });
  });

  it('reconstructs the state as of an instant, and what changed between two', async () => {
    const { caseId } = await placeCase();
    const asOf = await ask('CaseStateAsOf', { caseId, at: '2026-11-29T12:00:00Z', basis: 'occurred' });
    expect(asOf).toMatchObject({ asOf: { at: '2026-11-29T12:00:00Z', basis: 'occurred' }, replayed: { events: 2 }, account: { balance: { principal: 79_000 } } });
    // As `audit as-of` prints it.
    expect(`${JSON.stringify(asOf)}\n`).toBe((await audit.cli('as-of', caseId, '2026-11-29T12:00:00Z', '--basis', 'occurred')).out);
    expect(await ask('CaseStateAsOf', { caseId, at: '2100-01-01T00:00:00Z' })).toMatchObject({ replayed: { events: 3 }, account: { balance: { principal: 78_000 } } });

    const diff = await ask<{ changes: { path: string; kind: string; before?: unknown; after?: unknown }[] }>('CaseDiff', { caseId, from: '2026-11-29T12:00:00Z', to: '2026-12-01T00:00:00Z', basis: 'occurred' });
    expect(diff).toMatchObject({ caseId, from: '2026-11-29T12:00:00Z', to: '2026-12-01T00:00:00Z', basis: 'occurred' });
    expect(diff.changes).toContainEqual({ path: '/account/balance/principal', kind: 'changed', before: 79_000, after: 78_000 });
    const cli = await audit.cli('diff', caseId, '2026-11-29T12:00:00Z', '2026-12-01T00:00:00Z', '--basis', 'occurred');
    expect(diff.changes.map((change) => `${JSON.stringify(change)}\n`).join('')).toBe(cli.out);
  });

  it('exports a case as the bytes of `audit export`, whole or in pages that join into the whole', async () => {
    const { caseId, events } = await placeCase();
    const jsonl = await ask<FileAnswer>('CaseExportJsonl', { caseId });
    expect(jsonl.body).toBe((await audit.cli('export', '--case', caseId)).out);
    expect(jsonl.filename).toBe(`case-${caseId}.jsonl`);
    expect(jsonl.body.trimEnd().split('\n').map((line) => (JSON.parse(line) as EventEnvelope).eventId)).toEqual(events.map((event) => event.eventId));
    const csv = await ask<FileAnswer>('CaseExportCsv', { caseId });
    expect(csv.body).toBe((await audit.cli('export', '--case', caseId, '--format', 'csv')).out);
    expect(csv.body).toBe((await audit.cli('replay', caseId, '--format', 'csv')).out);

    for (const [query, whole] of [['CaseExportJsonl', jsonl], ['CaseExportCsv', csv]] as const) {
      const pages = await Promise.all([0, 2].map((offset) => ask<FileAnswer>(query, { caseId, offset, limit: 2 })));
      expect(pages.map((page) => page.body).join('')).toBe(whole.body);
      expect(pages[1]?.filename).toBe(`case-${caseId}-2-4.${query === 'CaseExportCsv' ? 'csv' : 'jsonl'}`);
    }
  });

  it('makes a compliance report over a period, as JSON and as the bytes of `audit report`', async () => {
    await placeCase();
    const period = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    const report = await ask<{ operators: { actorId: string; events: number }[] }>('AuditReport', { report: 'operator-activity', ...period });
    expect(report).toMatchObject({ period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, unreadableEvents: 0 });
    const all = await audit.harness.store.readAll();
    expect(report.operators.find((operator) => operator.actorId === 'system:accounts')?.events).toBe(all.filter((event) => event.occurredAt < '2026-12-01').length);
    const csv = await ask<FileAnswer>('AuditReportCsv', { report: 'operator-activity', ...period });
    expect(csv).toEqual({ body: (await audit.cli('report', 'operator-activity', '--from', period.from, '--to', period.to)).out, filename: 'operator-activity-2026-11-01T00:00:00Z-2026-12-01T00:00:00Z.csv' });
  });

  it('refuses bad params naming the field, and a case the ledger does not hold as NOT_FOUND', async () => {
    const { caseId } = await placeCase();
    await expect(rejection(ask('CaseStateAsOf', { caseId, at: 'yesterday' }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'at' });
    await expect(rejection(ask('CaseStateAsOf', { caseId, at: '2026-11-29T12:00:00' }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'at' });
    await expect(rejection(ask('CaseTimeline', { caseId: 'case-1' }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
    await expect(rejection(ask('CaseTimeline', { caseId, limit: 0 }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'limit' });
    await expect(rejection(ask('AuditReport', { report: 'toString', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'report' });
    await expect(rejection(ask('AuditReport', { report: 'complaints', from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
    const unknown = randomUUID();
    for (const query of ['CaseTimeline', 'CaseExportJsonl', 'VerifyCase']) {
      await expect(rejection(ask(query, { caseId: unknown }))).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'caseId' });
    }
  });

  it('refuses an answer larger than a NATS message, pointing at the pages', async () => {
    const { caseId } = await placeCase();
    // The service's handlers over the same ledger, as if the server's max_payload were 2 KiB.
    const pool = audit.ledgerSchema.pool;
    const small = auditQueryHandlers({ ledger: new AuditLedger({ pool, schema: audit.ledgerSchema.name }), store: audit.harness.store, publicKeys: [], maxAnswerBytes: 3_072 });
    await expect(rejection(small['CaseExportJsonl']!({ caseId }, auditor))).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'limit', details: { maxBytes: 2_048 } });
    await expect(small['CaseExportJsonl']!({ caseId, limit: 1 }, auditor)).resolves.toMatchObject({ filename: `case-${caseId}-0-1.jsonl` });
  });

  it('verifies the whole ledger and one case; a tampered case names its first bad entry', async () => {
    const clean = await placeCase();
    const tampered = await placeCase();
    await audit.service.ledger.checkpoint();
    // Asked twice at once: the second joins the first's run (shared-jobs.unit.spec.ts), or runs after it.
    const [one, two] = await Promise.all([ask('VerifyLedger', { requireComplete: true }), ask('VerifyLedger', { requireComplete: true })]);
    expect(one).toMatchObject({ ok: true, problemCount: 0, storeCompared: true, checkpointsChecked: 1 });
    expect(two).toMatchObject({ ok: true, headSeq: one['headSeq'] });
    expect(await ask('VerifyCase', { caseId: tampered.caseId })).toMatchObject({ ok: true, entriesChecked: 3, storeEventsChecked: 3 });

    // The second payment's amount changed in the ledger by someone with the owner's rights.
    const payment = tampered.events[2]!;
    const { rows } = await audit.ledgerSchema.pool.query<{ seq: string }>(`select seq from ${audit.table('entries')} where event_id = $1`, [payment.eventId]);
    const seq = Number(rows[0]?.seq);
    await asAttacker(audit, async (client) => {
      await client.query(`update ${audit.table('entries')} set envelope = replace(envelope, '"minor":1000', '"minor":10') where seq = $1`, [seq]);
    });

    const caseReport = await ask('VerifyCase', { caseId: tampered.caseId });
    expect(caseReport).toMatchObject({ ok: false, caseId: tampered.caseId, firstProblem: { kind: 'modified', seq, eventId: payment.eventId } });
    expect(await ask('VerifyCase', { caseId: clean.caseId })).toMatchObject({ ok: true });
    const ledgerReport = await ask('VerifyLedger', { maxProblems: 1 });
    expect(ledgerReport).toMatchObject({ ok: false, firstProblem: { kind: 'modified', seq, eventId: payment.eventId }, problems: [expect.objectContaining({ seq })] });
    expect(ledgerReport['problemCount']).toBeGreaterThan(1);
    // The command line agrees.
    expect((await audit.cli('verify')).out).toContain(`"seq":${seq}`);
  });

});
