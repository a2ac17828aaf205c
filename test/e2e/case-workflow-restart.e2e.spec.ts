import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from '@arrears/platform/src/testing/service-process';
import { eventually } from '@arrears/testing';
import { Client } from 'pg';
import { PlatformProcesses, type StoredEvent } from './platform-processes';

/** The first attempt is due 0.003 hours (10.8 s) after assignment; every other deadline is days away. */
const FIRST_ATTEMPT_HOURS = 0.003;
const CASES = 6;

interface TimerRow {
  key: string;
  item: string;
  status: string;
  attempts: number;
  last_error: string | null;
  fire_at: Date;
  fired_at: Date | null;
}

/**
 * The case-workflow process (`services/case-workflow/src/main.ts`) killed and started again in the middle of its
 * cases, beside the relay and accounts: deadlines are durable timers and every effect the saga decides carries an
 * id derived from its cause, so after the restart every deadline fires exactly once and no command is carried out
 * twice. The restart is made the worst one: the saga's JetStream consumers lose their positions with the process,
 * so the new process is handed every input and every effect of every case again — nothing may come of that twice.
 */
describe('Kill and restart the case-workflow process in the middle of a case: every timer still fires exactly once, and no command is sent twice', () => {
  let platform: PlatformProcesses;
  let db: Client;
  let dir: string;
  let workflowEnv: NodeJS.ProcessEnv;
  let workflow: ServiceProcess;
  const wait = { timeoutMs: 30_000, intervalMs: 250 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'case-workflow-restart-'));
    const policy = join(dir, 'workflow-policy.json');
    writeFileSync(policy, JSON.stringify({ rules: { contact: { firstAttemptHours: FIRST_ATTEMPT_HOURS } }, overrides: [] }));
    workflowEnv = { ARREARS_WORKFLOW_POLICY: policy };
    platform = await PlatformProcesses.create('e2e_restart');
    db = new Client({ connectionString: platform.database.url });
    await db.connect();
    await platform.startRelay();
    await platform.start('accounts');
    workflow = await platform.start('case-workflow', workflowEnv);
    await platform.registerCollector('collector-7');
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const caseEvents = (caseId: string) => platform.events(`case-${caseId}`);
  const ofType = (events: readonly StoredEvent[], type: string) => events.filter((event) => event.type === type);
  const deadlineTimers = async () =>
    (
      await db.query<TimerRow>(
        `select key, payload->>'item' as item, status, attempts, last_error, fire_at, fired_at from arrears_timers.timers where owner = 'case-workflow' and kind = 'deadline'`,
      )
    ).rows.sort((a, b) => (`${a.key}/${a.item}` < `${b.key}/${b.item}` ? -1 : 1));
  const firstAttemptTimers = async () => (await deadlineTimers()).filter((timer) => timer.item === 'first-attempt');

  /** The case-workflow consumers on the events stream, by durable name. */
  async function workflowConsumers() {
    const jsm = await platform.nats.jetstreamManager();
    const consumers = await jsm.consumers.list(platform.topology.eventsStream).next();
    return { jsm, consumers: consumers.filter((consumer) => consumer.name.startsWith('case-workflow__')) };
  }

  /** Nothing left to do: the relay has published every stored event, and the case-workflow consumers have taken and acknowledged all of them. */
  async function settled(): Promise<void> {
    const { jsm, consumers } = await workflowConsumers();
    const stored = (await db.query<{ count: number }>('select count(*)::int as count from arrears_events.events')).rows[0]!.count;
    expect((await jsm.streams.info(platform.topology.eventsStream)).state.messages).toBeGreaterThanOrEqual(stored);
    expect(consumers.map((consumer) => [consumer.name, consumer.num_pending, consumer.num_ack_pending])).toEqual(consumers.map((consumer) => [consumer.name, 0, 0]));
  }

  it('six cases assigned, the process killed before their first-attempt deadlines, started again: each deadline missed once, each command handled once', async () => {
    const startedAt = Date.now();
    const seconds = () => ((Date.now() - startedAt) / 1_000).toFixed(1);
    const caseIds = Array.from({ length: CASES }, () => randomUUID());
    await Promise.all(caseIds.map((caseId) => platform.placeAccount(caseId, 60)));

    // Assigned, each with its first-attempt deadline pending in the timers table, and none due yet.
    await eventually(async () => expect((await firstAttemptTimers()).map((timer) => [timer.key, timer.status])).toEqual([...caseIds].sort().map((caseId) => [caseId, 'pending'])), wait);
    const earliest = Math.min(...(await firstAttemptTimers()).map((timer) => timer.fire_at.getTime()));
    expect(Date.now()).toBeLessThan(earliest - 1_000);
    for (const caseId of caseIds) expect(ofType(await caseEvents(caseId), 'DeadlineMissed')).toEqual([]);

    workflow.kill('SIGKILL');
    expect(await workflow.exited).toBeNull();
    const killedAt = seconds();
    // The worst restart: every delivery of the saga's consumers (one per source, and the effects') counts as
    // unacknowledged, so all come again to the new process.
    const { jsm, consumers } = await workflowConsumers();
    const sagaConsumers = consumers.filter((consumer) => consumer.name.startsWith('case-workflow__saga-'));
    expect(sagaConsumers.map((consumer) => consumer.name)).toEqual(expect.arrayContaining(['case-workflow__saga-accounts', 'case-workflow__saga-assignments', 'case-workflow__saga-effects']));
    for (const consumer of sagaConsumers) await jsm.consumers.delete(platform.topology.eventsStream, consumer.name);

    workflow = await platform.start('case-workflow', workflowEnv);
    const restartedAt = seconds();
    // The restarted process takes new work too.
    const late = randomUUID();
    await platform.placeAccount(late, 60);
    const all = [...caseIds, late];

    await eventually(async () => expect((await firstAttemptTimers()).map((timer) => [timer.key, timer.status])).toEqual([...all].sort().map((caseId) => [caseId, 'fired'])), { timeoutMs: 60_000, intervalMs: 500 });
    // A delivery the kill left unacknowledged (the read models') comes again after the 30 s ack wait.
    await eventually(settled, { timeoutMs: 60_000, intervalMs: 500 });
    process.stdout.write(`case-workflow restart: killed at ${killedAt} s, running again at ${restartedAt} s, every deadline fired and everything settled at ${seconds()} s\n`);

    const roster = await platform.events('roster-main');
    const issued: StoredEvent[] = [];
    for (const caseId of all) {
      const events = await caseEvents(caseId);
      issued.push(...ofType(events, 'SagaCommandIssued'));
      // Each deadline missed once, on its due time, naming the collector.
      const [deadline] = ofType(events, 'ChecklistDeadlineSet');
      const missed = ofType(events, 'DeadlineMissed');
      expect(missed.map((event) => event.data)).toEqual([expect.objectContaining({ stage: 'contact', entry: 1, item: 'first-attempt', dueAt: deadline?.data['dueAt'], collectorId: 'collector-7' })]);
      expect(Date.parse(missed[0]!.occurredAt)).toBeGreaterThanOrEqual(Date.parse(String(deadline?.data['dueAt'])));
      // Each input decided once: nothing redelivered was recorded or decided again.
      expect(ofType(events, 'CaseOpened')).toHaveLength(1);
      expect(ofType(events, 'ChecklistDeadlineSet')).toHaveLength(1);
      const sources = ofType(events, 'CaseSignalRecorded').map((event) => event.data['sourceEventId']);
      expect(sources).toEqual([...new Set(sources)]);
      const timersSet = ofType(events, 'SagaTimerSet').map((event) => event.data['timerId']);
      expect(timersSet).toEqual([...new Set(timersSet)]);
      // One command, one assignment.
      expect(ofType(events, 'SagaCommandIssued').map((event) => event.data['command'])).toEqual(['AssignCase']);
      expect(roster.filter((event) => event.type === 'CaseAssigned' && event.data['caseId'] === caseId)).toHaveLength(1);
    }

    // Every command the saga issued was handled once, under its own id: exactly its events on the roster, nothing
    // under any other id but the supervisor's RegisterCollector.
    const byCommand = new Map<string, StoredEvent[]>();
    for (const event of roster) byCommand.set(event.metadata.commandId!, [...(byCommand.get(event.metadata.commandId!) ?? []), event]);
    for (const command of issued) {
      const handled = byCommand.get(String(command.data['commandId'])) ?? [];
      expect(handled.map((event) => [event.type, event.data['caseId']])).toEqual([['CaseAssigned', (command.data['data'] as { caseId: string }).caseId]]);
    }
    expect([...byCommand.keys()].filter((commandId) => !issued.some((command) => command.data['commandId'] === commandId))).toEqual([
      roster.find((event) => event.type === 'CollectorRegistered')?.metadata.commandId,
    ]);

    // The timers table: each first-attempt timer fired once (one attempt, no failure), not before its time; the
    // right-party-contact deadlines, days away, still pending.
    const timers = await deadlineTimers();
    for (const timer of timers.filter((row) => row.item === 'first-attempt')) {
      expect({ status: timer.status, attempts: timer.attempts, lastError: timer.last_error }).toEqual({ status: 'fired', attempts: 1, lastError: null });
      expect(timer.fired_at!.getTime()).toBeGreaterThanOrEqual(timer.fire_at.getTime());
    }
    expect(timers.filter((row) => row.item === 'right-party-contact').map((row) => [row.key, row.status])).toEqual([...all].sort().map((caseId) => [caseId, 'pending']));
    expect(timers).toHaveLength(2 * all.length);
  }, 180_000);
});
