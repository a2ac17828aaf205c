import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from '@arrears/platform/src/testing/service-process';
import { eventually } from '@arrears/testing';
import { Client } from 'pg';
import { DAY_MS, PlatformProcesses, type StoredEvent } from './platform-processes';

/** The legal-escalation service's defaults (docs/legal-escalation.md, "Configuration"). */
const EVIDENCE_SCHEMA = 'legal_evidence';
const EVIDENCE_POOL = 'arrears-legal-escalation evidence';
const ITEMS = ['events.jsonl', 'statement.json', 'contacts.json', 'promises-and-plans.json', 'flags.json', 'summary.pdf'];

/** VerifyPackage's answer, as far as this spec reads it. */
interface VerifyReport {
  readonly ok: boolean;
  readonly packageId: string;
  readonly caseId: string | null;
  readonly manifest: { readonly ok: boolean; readonly detail: string };
  readonly signature: 'ok' | 'bad';
  readonly items: readonly { readonly name: string; readonly status: string }[];
  readonly events: readonly { readonly kind: string; readonly since?: boolean; readonly eventId: string; readonly type: string; readonly streamId: string }[];
  readonly eventsChecked: number;
  readonly summary: string;
}

/**
 * The proof, every service its own process over real NATS and PostgreSQL: an account 120 days past due, two
 * promises broken in turn, the case saga asks for legal escalation, and the 48-hour handoff saga fixes the evidence
 * and delivers a signed package — with the legal-escalation process SIGKILLed once in the middle of it. The kill is
 * made to land between HandoffStarted and LegalPackageDelivered, with FixEvidence in flight: the test holds a lock
 * on the package table so the handler's insert waits, kills the process while it waits, and starts it again. The
 * saga's stored SagaCommandIssued is then carried out again from JetStream (its delivery was never acknowledged),
 * under the same command id: the package is fixed and delivered exactly once. Then the package verifies (over NATS
 * and with the command line), an exported copy with one byte of its PDF flipped does not, legal acknowledges, and
 * the action filed flows back to the case.
 */
describe('Legal escalation end to end: broken promises → a delivered, verified package, the legal-escalation process killed once in between', () => {
  let platform: PlatformProcesses;
  let db: Client;
  let legal: ServiceProcess;
  let dir: string;
  const collectorId = 'collector-9';
  const accountId = randomUUID();
  /** The package the handoff delivered, once the first test has seen it delivered. */
  let packageId = '';
  const wait = { timeoutMs: 30_000, intervalMs: 200 };
  const startedAt = Date.now();
  const seconds = () => ((Date.now() - startedAt) / 1_000).toFixed(1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'legal-escalation-e2e-'));
    platform = await PlatformProcesses.create('e2e_legal');
    db = new Client({ connectionString: platform.database.url });
    await db.connect();
    await platform.startRelay();
    // The first service migrates the shared event store; the others start once it has.
    await platform.start('accounts');
    const started = await Promise.all([platform.start('legal-escalation'), platform.start('promises-to-pay'), platform.start('case-workflow')]);
    legal = started[0];
    await platform.registerCollector(collectorId);
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const ofType = (events: readonly StoredEvent[], type: string) => events.filter((event) => event.type === type);
  const caseEvents = () => platform.events(`case-${accountId}`);
  const legalEvents = () => platform.events(`legal-${accountId}`);
  /** The handoff's own decisions, without the saga runtime's effect events. */
  const handoffTypes = async () => (await legalEvents()).map((event) => event.type).filter((type) => !type.startsWith('Saga'));
  const handoffTimers = async () =>
    (await db.query<{ kind: string; status: string }>(`select kind, status from arrears_timers.timers where owner = 'legal-escalation' and key = $1 order by fire_at`, [accountId])).rows;
  /** The later steps start from the delivered package: without one they say so rather than fail on its absence. */
  const deliveredPackage = () => {
    if (packageId === '') throw new Error('No package was delivered: see the first test');
    return packageId;
  };
  const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

  /**
   * A promise made ten days ago, due eight days ago: with the default three days of grace it broke four days ago, so
   * promises-to-pay's timer (on the real clock) breaks it at its next poll.
   */
  async function promiseThatBreaks(): Promise<string> {
    const promiseId = randomUUID();
    await platform.send('promises-to-pay', 'RecordPromise', { promiseId, accountId, amount: { minor: 20_000, currency: 'USD' }, dueDate: isoDaysAgo(8).slice(0, 10), channel: 'call' }, 'collector', isoDaysAgo(10));
    await eventually(async () => expect(ofType(await platform.events(`promise-${accountId}`), 'PromiseBroken').filter((event) => event.data['promiseId'] === promiseId)).toHaveLength(1), wait);
    return promiseId;
  }

  /** The evidence pool's statements waiting for a lock: FixEvidence's insert of the package, held up by the test. */
  async function waitingInserts(): Promise<string[]> {
    const { rows } = await db.query<{ query: string }>(
      `select query from pg_stat_activity where datname = current_database() and application_name = $1 and wait_event_type = 'Lock'`,
      [EVIDENCE_POOL],
    );
    return rows.map((row) => row.query.replace(/\s+/g, ' ').trim());
  }

  /** The legal-escalation consumers have taken and acknowledged everything the relay has published. */
  async function legalSettled(): Promise<void> {
    const jsm = await platform.nats.jetstreamManager();
    const consumers = (await jsm.consumers.list(platform.topology.eventsStream).next()).filter((consumer) => consumer.name.startsWith('legal-escalation__'));
    const stored = (await db.query<{ count: number }>('select count(*)::int as count from arrears_events.events')).rows[0]!.count;
    expect((await jsm.streams.info(platform.topology.eventsStream)).state.messages).toBeGreaterThanOrEqual(stored);
    expect(consumers.map((consumer) => consumer.name)).toEqual(expect.arrayContaining(['legal-escalation__saga-escalations', 'legal-escalation__saga-effects']));
    expect(consumers.map((consumer) => [consumer.name, consumer.num_pending, consumer.num_ack_pending])).toEqual(consumers.map((consumer) => [consumer.name, 0, 0]));
  }

  it('two promises broken → LegalEscalationRequested; legal-escalation killed while FixEvidence stores the package, restarted: started, fixed and delivered exactly once', async () => {
    // Held until the process is dead: FixEvidence gathers and signs, then waits on this lock to store the package.
    const blocker = new Client({ connectionString: platform.database.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query(`lock table ${EVIDENCE_SCHEMA}.packages in share mode`);

      await platform.placeAccount(accountId, 120);
      await eventually(async () => expect(ofType(await caseEvents(), 'ChecklistDeadlineSet')).toHaveLength(1), wait);
      await promiseThatBreaks();
      await eventually(async () => expect(ofType(await caseEvents(), 'StageEntered').map((event) => event.data['stage'])).toEqual(['contact', 'negotiate', 'pressure']), wait);
      expect(ofType(await caseEvents(), 'LegalEscalationRequested')).toEqual([]);
      // One open promise per case: the second is recorded once the first has broken.
      await promiseThatBreaks();
      await eventually(async () => expect(ofType(await caseEvents(), 'LegalEscalationRequested')).toHaveLength(1), wait);
      const escalatedAt = seconds();

      // The handoff has started and sent FixEvidence, whose insert of the package now waits on the lock.
      await eventually(async () => {
        expect(await handoffTypes()).toEqual(['HandoffStarted']);
        expect(ofType(await legalEvents(), 'SagaCommandIssued').map((event) => event.data['command'])).toEqual(['FixEvidence']);
        expect(await waitingInserts()).toEqual([expect.stringMatching(new RegExp(`^insert into "?${EVIDENCE_SCHEMA}"?\\.packages`))]);
      }, wait);

      legal.kill('SIGKILL');
      expect(await legal.exited).toBeNull();
      const killedAt = seconds();
      expect(await handoffTypes()).toEqual(['HandoffStarted']);
      await blocker.query('commit');

      legal = await platform.start('legal-escalation');
      const restartedAt = seconds();
      // The unacknowledged SagaCommandIssued comes back once its ack wait (30 s) has run out: allow for it.
      await eventually(async () => expect(await handoffTypes()).toEqual(['HandoffStarted', 'EvidenceFixed', 'LegalPackageDelivered']), { timeoutMs: 90_000, intervalMs: 250 });
      const deliveredAt = seconds();
      // Nothing left in flight that could decide anything again.
      await eventually(legalSettled, { timeoutMs: 60_000, intervalMs: 500 });
      process.stdout.write(
        `legal-escalation e2e: escalated at ${escalatedAt} s, killed mid-FixEvidence at ${killedAt} s, running again at ${restartedAt} s, delivered at ${deliveredAt} s, settled at ${seconds()} s\n`,
      );
    } finally {
      await blocker.end();
    }

    const events = await legalEvents();
    expect(await handoffTypes()).toEqual(['HandoffStarted', 'EvidenceFixed', 'LegalPackageDelivered']);
    const [escalation] = ofType(await caseEvents(), 'LegalEscalationRequested');
    const [started] = ofType(events, 'HandoffStarted');
    const [fixed] = ofType(events, 'EvidenceFixed');
    const [delivered] = ofType(events, 'LegalPackageDelivered');
    expect(started?.data).toMatchObject({
      caseId: accountId,
      accountId,
      handoff: 1,
      reasons: escalation?.data['reasons'],
      requestedBy: 'system:case-workflow',
      requestedAt: new Date(escalation!.occurredAt).toISOString(),
    });
    expect(String((escalation?.data['reasons'] as string[])[0])).toMatch(/^\d+ days past due with 2 broken promises$/);
    packageId = String(delivered?.data['packageId']);
    expect(packageId).toMatch(/^[0-9a-f]{64}$/);
    expect(fixed?.data).toMatchObject({ caseId: accountId, handoff: 1, packageId });
    expect((fixed?.data['items'] as { name: string }[]).map((item) => item.name)).toEqual(ITEMS);
    expect(delivered?.data).toMatchObject({ caseId: accountId, accountId, handoff: 1, packageId, download: `/api/legal/packages/${packageId}` });
    expect(delivered?.data['hoursSinceRequest']).toBeLessThan(1);

    // The saga's effects: three timers and one FixEvidence, each decided once; the timers still pending.
    expect(ofType(events, 'SagaCommandIssued').map((event) => [event.data['service'], event.data['command']])).toEqual([['legal-escalation', 'FixEvidence']]);
    expect(ofType(events, 'SagaTimerSet').map((event) => event.data['kind'])).toEqual(['reminder-24', 'reminder-36', 'overdue']);
    expect(ofType(events, 'SagaCommandRefused')).toEqual([]);
    expect((await handoffTimers()).map((row) => [row.kind, row.status])).toEqual([
      ['reminder-24', 'pending'],
      ['reminder-36', 'pending'],
      ['overdue', 'pending'],
    ]);

    // Stored once, whole: the killed process's half-done insert left nothing behind.
    const stored = await db.query<{ package_id: string; case_id: string }>(`select package_id, case_id from ${EVIDENCE_SCHEMA}.packages`);
    expect(stored.rows).toEqual([{ package_id: packageId, case_id: accountId }]);
    const items = await db.query<{ name: string }>(`select name from ${EVIDENCE_SCHEMA}.package_items where package_id = $1 order by name`, [packageId]);
    expect(items.rows.map((row) => row.name)).toEqual([...ITEMS].sort());

    // The case: handed to legal once, with the escalation requested once.
    const caseHistory = await caseEvents();
    expect(ofType(caseHistory, 'LegalEscalationRequested')).toHaveLength(1);
    expect(ofType(caseHistory, 'StageEntered').at(-1)?.data).toMatchObject({ stage: 'close', closeReason: 'handed-to-legal' });
  }, 240_000);

  it('the stored package verifies over NATS: signature, every item and every event, nothing named', async () => {
    deliveredPackage();
    const report = await platform.send<VerifyReport>('legal-escalation', 'VerifyPackage', { packageId }, 'legal');
    expect(report).toMatchObject({ ok: true, packageId, caseId: accountId, manifest: { ok: true }, signature: 'ok' });
    expect(report.items.map((item) => [item.name, item.status])).toEqual(ITEMS.map((name) => [name, 'ok']));
    expect(report.eventsChecked).toBeGreaterThan(0);
    // No event altered, dropped or slipped into the fixed history; what the case did since (EvidenceFixed, the
    // delivery) is listed as added since, which is not a fault of the package.
    expect(report.events.filter((difference) => difference.kind !== 'added' || difference.since !== true)).toEqual([]);
    expect(report.events.map((difference) => difference.type)).toEqual(expect.arrayContaining(['EvidenceFixed', 'LegalPackageDelivered']));
    expect(report.summary).not.toMatch(/ALTERED|DROPPED|MISSING|UNEXPECTED|ADDED INSIDE|FAILED/);
    expect(report.summary).toContain('VERIFIED');
  }, 60_000);

  it('the command line verifies it by id; an export with one byte of summary.pdf flipped fails, naming summary.pdf', async () => {
    deliveredPackage();
    const byId = await platform.arrears(['legal', 'verify', packageId]);
    // The whole run in the comparison, so a failure shows what the command said.
    expect(byId).toEqual({ code: 0, stdout: expect.stringContaining('VERIFIED: the package is intact and the event store still holds every event of it unchanged.'), stderr: expect.any(String) });
    expect(byId.stdout).toContain(`Evidence package ${packageId}`);

    const out = join(dir, 'package');
    const exported = await platform.arrears(['legal', 'export', packageId, '--out', out]);
    expect(exported).toEqual({ code: 0, stdout: expect.stringContaining(`Exported package ${packageId}`), stderr: expect.any(String) });
    expect(readdirSync(out).sort()).toEqual([...ITEMS, 'manifest.json', 'manifest.sig'].sort());

    // The export as it came out verifies too.
    const intact = await platform.arrears(['legal', 'verify', out]);
    expect(intact).toEqual({ code: 0, stdout: expect.stringContaining('VERIFIED'), stderr: expect.stringContaining(`its manifest hashes to ${packageId}`) });

    const pdf = join(out, 'summary.pdf');
    const bytes = readFileSync(pdf);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(pdf, bytes);

    // Exit 1: the verification failed (2 would be a command that could not run), naming the item and nothing else.
    const tampered = await platform.arrears(['legal', 'verify', out, '--id', packageId]);
    expect(tampered).toEqual({ code: 1, stdout: expect.stringContaining('FAILED'), stderr: expect.any(String) });
    expect(tampered.stdout).toMatch(/^ {2}item summary\.pdf: ALTERED - /m);
    expect(tampered.stdout.split('\n').filter((line) => /ALTERED|DROPPED|MISSING|UNEXPECTED|ADDED INSIDE/.test(line))).toHaveLength(1);
    expect(tampered.stdout).toContain('signature: ok');
    expect(tampered.stdout).toContain('FAILED: 1 problem(s) found.');
  }, 120_000);

  it('legal acknowledges the package and reports the action filed: HandoffAcknowledged, and the case records the litigation status', async () => {
    deliveredPackage();
    const acknowledged = await platform.send<{ events: { type: string }[] }>('legal-escalation', 'AcknowledgeHandoff', { accountId, packageId }, 'legal');
    expect(acknowledged.events.map((event) => event.type)).toEqual(['HandoffAcknowledged', 'SagaTimerCleared', 'SagaTimerCleared', 'SagaTimerCleared']);
    const reported = await platform.send<{ events: { type: string }[] }>('legal-escalation', 'ReportLitigationStatus', { accountId, status: 'filed' }, 'legal');
    expect(reported.events.map((event) => event.type)).toEqual(['LitigationStatusReported']);

    expect(await handoffTypes()).toEqual(['HandoffStarted', 'EvidenceFixed', 'LegalPackageDelivered', 'HandoffAcknowledged', 'LitigationStatusReported']);
    const events = await legalEvents();
    expect(ofType(events, 'HandoffAcknowledged')[0]?.data).toMatchObject({ caseId: accountId, handoff: 1, packageId, acknowledgedBy: 'legal-1' });
    const [filed] = ofType(events, 'LitigationStatusReported');
    expect(filed?.data).toMatchObject({ caseId: accountId, handoff: 1, status: 'filed', reportedBy: 'legal-1' });
    // Acknowledged: the reminders and the overdue alert are cleared, and the timer store cancels them.
    expect(ofType(events, 'SagaTimerCleared').map((event) => event.data['kind'])).toEqual(['reminder-24', 'reminder-36', 'overdue']);
    await eventually(async () => expect((await handoffTimers()).map((row) => [row.kind, row.status])).toEqual([
      ['reminder-24', 'cancelled'],
      ['reminder-36', 'cancelled'],
      ['overdue', 'cancelled'],
    ]), wait);

    // It flows back: the case saga records the status on the closed case.
    await eventually(async () => {
      const signals = ofType(await caseEvents(), 'CaseSignalRecorded').filter((event) => event.data['signal'] === 'litigation-status');
      expect(signals.map((event) => event.data)).toEqual([expect.objectContaining({ caseId: accountId, sourceEventId: filed?.eventId, sourceType: 'LitigationStatusReported', detail: expect.objectContaining({ note: 'filed' }) })]);
    }, wait);
    expect(ofType(await caseEvents(), 'StageEntered').at(-1)?.data).toMatchObject({ stage: 'close', closeReason: 'handed-to-legal' });
  }, 60_000);
});
