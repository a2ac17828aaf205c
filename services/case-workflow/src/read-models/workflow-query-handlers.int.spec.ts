import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode, type Role } from '@arrears/contracts';
import { CommandClient, QueryClient, type QueryAsker } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, rejection, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_WORKFLOW_POLICY } from '../case/domain/policy';
import { DEFAULT_ROSTER_POLICY } from '../roster/domain/policy';
import { startWorkflowService, type WorkflowService } from '../service';
import type { CaseAssignmentView, CasePage, CaseWorkflowView, CollectorWorkload, MissedDeadlineView, OverdueItemView, Page, StageCount, StageDurations } from '.';

const WEEK = 7 * 86_400_000;
const SUPERVISOR: QueryAsker = { actorId: 'supervisor-1', actorRole: 'supervisor' };
const asCollector = (actorId: string): QueryAsker => ({ actorId, actorRole: 'collector' });

/**
 * The read models answered over NATS, as the gateway asks them: the service as it runs (relay, roster, saga, timers),
 * two cases opened and assigned, their first-attempt deadlines missed; every query through `QueryClient`.
 */
describe('the case-workflow queries over NATS', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  let service: WorkflowService;
  let commands: CommandClient;
  let queries: QueryClient;
  let now = new Date('2026-11-30T09:00:00.000Z');
  const opened = now.toISOString();
  /** The two cases, by case id. */
  let cases: string[];
  let due: string;

  const ask = <Result>(query: string, params: Record<string, unknown>, asker: QueryAsker = SUPERVISOR) => queries.ask<Result>('case-workflow', query, params, asker);
  const refusal = async (query: string, params: Record<string, unknown>, asker: QueryAsker = SUPERVISOR) => rejection(ask(query, params, asker));
  const send = (type: string, data: Record<string, unknown>, role: Role = 'supervisor') =>
    commands.send('case-workflow', { type, data, metadata: { correlationId: randomUUID(), actorId: `${role}-1`, actorRole: role, now: now.toISOString() } });

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('workflowq') });
    schemas.push(await createTestSchema('workflowq_keys'), await createTestSchema('workflowq_read'), await createTestSchema('workflowq_timers'));
    (await harness.relay()).start();
    commands = new CommandClient({ connection: harness.nats, topology: harness.topology });
    queries = new QueryClient({ connection: harness.nats, topology: harness.topology });
    service = await startWorkflowService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      timerSchema: schemas[2]!.name,
      masterKey: randomBytes(32),
      policy: DEFAULT_WORKFLOW_POLICY,
      rosterPolicy: DEFAULT_ROSTER_POLICY,
      topology: harness.topology,
      nats: harness.nats,
      clock: () => now,
      timerPollIntervalMs: 3_600_000,
    });

    await send('RegisterCollector', { collectorId: 'collector-7', name: 'Jo Collector', specialties: ['credit-card'], capacity: 10 });
    cases = [randomUUID(), randomUUID()].sort();
    // The first debtor in Illinois, the second in California: the jurisdiction filters tell them apart.
    for (const [i, accountId] of cases.entries()) {
      await harness.store.appendToStream(`account-${accountId}`, [{ ...accountPlaced(accountId, { jurisdiction: i === 0 ? 'US-IL' : 'US-CA' }), occurredAt: opened }], { expectedVersion: 'no_stream' });
    }
    // Each case opens in contact and is assigned; its first-attempt deadline is set from the assignment.
    const deadlines = await eventually(
      async () => {
        const found = await Promise.all(cases.map(async (caseId) => (await harness.store.readStream(`case-${caseId}`)).find((event) => event.type === 'ChecklistDeadlineSet')?.data['dueAt'] as string));
        expect(found.every((dueAt) => dueAt !== undefined)).toBe(true);
        return found;
      },
      { timeoutMs: 20_000 },
    );
    due = [...deadlines].sort().at(-1)!;
    for (const [i, caseId] of cases.entries()) {
      await eventually(async () => expect((await service.timers.pending('case-workflow', caseId)).map((timer) => timer.fireAt)).toContain(deadlines[i]), { timeoutMs: 20_000 });
    }
    // Both first attempts missed: the timers fire, DeadlineMissed reaches the read model.
    now = new Date(Date.parse(due) + 60_000);
    expect(await service.poller.pollOnce()).toBe(2);
    await eventually(async () => expect((await service.queries.missedDeadlines(opened, new Date(Date.parse(opened) + WEEK).toISOString())).rows).toHaveLength(2), { timeoutMs: 20_000 });
  }, 90_000);

  afterAll(async () => {
    await service?.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  it('CaseAssignment answers who holds a case, for the gateway: NOT_FOUND naming caseId when the read model has none', async () => {
    await expect(ask<CaseAssignmentView>('CaseAssignment', { caseId: cases[0] }, asCollector('collector-7'))).resolves.toEqual({
      caseId: cases[0],
      assignment: 'assigned',
      teamId: 'main',
      collectorId: 'collector-7',
    });
    await expect(refusal('CaseAssignment', { caseId: randomUUID() })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'caseId' });
    await expect(refusal('CaseAssignment', { caseId: 'case-1' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
    await expect(refusal('CaseAssignment', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
    await expect(refusal('CaseAssignment', { caseId: cases[0], collectorId: 'x' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'collectorId' });
  });

  it("CaseWorkflow answers one case's stage, checklist with deadlines, visits and collector; a collector only their own", async () => {
    const view = await ask<CaseWorkflowView>('CaseWorkflow', { caseId: cases[0] });
    expect(view).toMatchObject({ caseId: cases[0], stage: 'contact', stageEntry: 1, stageEnteredAt: opened, collectorId: 'collector-7', assignment: 'assigned', product: 'credit-card' });
    expect(view.checklist.map(({ item, status }) => `${item} ${status}`)).toEqual(['first-attempt missed', 'right-party-contact open']);
    expect(view.checklist[0]).toMatchObject({ entry: 1, stage: 'contact', dueAt: expect.any(String), missedAt: expect.any(String) });
    expect(view.visits).toEqual([{ entry: 1, stage: 'contact', fromStage: null, enteredAt: opened, leftAt: null, durationMs: null }]);
    await expect(ask('CaseWorkflow', { caseId: cases[0] }, asCollector('collector-7'))).resolves.toMatchObject({ caseId: cases[0] });
    await expect(refusal('CaseWorkflow', { caseId: cases[0] }, asCollector('collector-8'))).resolves.toMatchObject({ code: ErrorCode.FORBIDDEN, field: 'caseId' });
    await expect(refusal('CaseWorkflow', { caseId: randomUUID() })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'caseId' });
  });

  it('StageCounts and CollectorWorkload answer the counts and the load', async () => {
    const counts = await ask<StageCount[]>('StageCounts', {});
    expect(counts.map(({ stage, cases: n }) => `${stage} ${n}`)).toEqual(['contact 2', 'pressure 0', 'negotiate 0', 'close 0']);
    expect((await ask<StageCount[]>('StageCounts', { collectorId: 'nobody' })).every((count) => count.cases === 0)).toBe(true);
    await expect(refusal('StageCounts', { tier: 'extreme' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'tier' });

    const [load] = await ask<CollectorWorkload[]>('CollectorWorkload', { teamId: 'main' });
    expect(load).toMatchObject({ teamId: 'main', collectorId: 'collector-7', capacity: 10, available: true, openCases: 2, spare: 8, byStage: { contact: 2, pressure: 0, negotiate: 0, close: 0, none: 0 } });
    await expect(refusal('CollectorWorkload', { team: 'main' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'team' });
  });

  it('CasesInStage and CasesOfCollector page with the string cursor; a collector sees only their own cases', async () => {
    const first = await ask<CasePage>('CasesInStage', { stage: 'contact', limit: 1 });
    expect([first.rows.map((row) => row.caseId), first.nextAfter]).toEqual([[cases[0]], cases[0]]);
    const second = await ask<CasePage>('CasesInStage', { stage: 'contact', limit: 1, after: first.nextAfter });
    expect([second.rows.map((row) => row.caseId), second.nextAfter]).toEqual([[cases[1]], null]);
    await expect(refusal('CasesInStage', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'stage' });
    await expect(refusal('CasesInStage', { stage: 'limbo' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'stage' });

    const mine = await ask<CasePage>('CasesOfCollector', { collectorId: 'collector-7' }, asCollector('collector-7'));
    expect(mine.rows.map((row) => row.caseId)).toEqual(cases);
    expect((await ask<CasePage>('CasesOfCollector', { collectorId: 'collector-7', stage: 'pressure' })).rows).toEqual([]);
    await expect(refusal('CasesOfCollector', { collectorId: 'collector-7' }, asCollector('collector-8'))).resolves.toMatchObject({ code: ErrorCode.FORBIDDEN, field: 'collectorId' });
    await expect(refusal('CasesOfCollector', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'collectorId' });
    await expect(refusal('CasesOfCollector', { collectorId: 'collector-7', limit: 0 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'limit' });
  });

  it('OverdueItems answers the items past their deadline as of an instant; a collector is narrowed to their own', async () => {
    const asOf = now.toISOString();
    const all = await ask<Page<OverdueItemView, string>>('OverdueItems', { asOf });
    expect(all.rows.map((row) => `${row.caseId} ${row.item} ${row.missed}`)).toEqual(cases.map((caseId) => `${caseId} first-attempt true`));
    const first = await ask<Page<OverdueItemView, string>>('OverdueItems', { asOf, limit: 1 });
    expect(first.nextAfter).toBe(`${first.rows[0]!.caseId}/1/first-attempt`);
    const rest = await ask<Page<OverdueItemView, string>>('OverdueItems', { asOf, limit: 1, after: first.nextAfter });
    expect([...first.rows, ...rest.rows]).toEqual(all.rows);
    // Before the deadline nothing is overdue.
    expect((await ask<Page<OverdueItemView, string>>('OverdueItems', { asOf: new Date(Date.parse(due) - 1).toISOString() })).rows).toEqual([]);
    // A collector naming nobody gets their own; another collector's are refused.
    expect((await ask<Page<OverdueItemView, string>>('OverdueItems', { asOf }, asCollector('collector-7'))).rows).toHaveLength(2);
    expect((await ask<Page<OverdueItemView, string>>('OverdueItems', { asOf }, asCollector('collector-8'))).rows).toEqual([]);
    await expect(refusal('OverdueItems', { asOf, collectorId: 'collector-7' }, asCollector('collector-8'))).resolves.toMatchObject({ code: ErrorCode.FORBIDDEN, field: 'collectorId' });
    await expect(refusal('OverdueItems', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'asOf' });
    await expect(refusal('OverdueItems', { asOf, after: 'not-a-cursor' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'after' });
  });

  it('MissedDeadlines and StageDurations answer a period', async () => {
    const period = { from: opened, to: new Date(Date.parse(opened) + WEEK).toISOString() };
    const missed = await ask<Page<MissedDeadlineView, string>>('MissedDeadlines', period);
    expect(missed.rows.map((row) => `${row.caseId} ${row.item} ${row.missedCollectorId}`)).toEqual(cases.map((caseId) => `${caseId} first-attempt collector-7`));
    const first = await ask<Page<MissedDeadlineView, string>>('MissedDeadlines', { ...period, limit: 1 });
    const rest = await ask<Page<MissedDeadlineView, string>>('MissedDeadlines', { ...period, limit: 1, after: first.nextAfter });
    expect([...first.rows, ...rest.rows]).toEqual(missed.rows);
    await expect(refusal('MissedDeadlines', { from: period.to, to: period.from })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
    await expect(refusal('MissedDeadlines', { from: period.from })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });

    const durations = await ask<StageDurations>('StageDurations', { ...period, asOf: now.toISOString() });
    expect(durations.groups).toEqual([{ stage: 'contact', key: null, completed: { count: 0, averageMs: null, medianMs: null, p90Ms: null }, open: { count: 2, averageAgeMs: expect.any(Number), oldestAgeMs: Date.parse(now.toISOString()) - Date.parse(opened) } }]);
    await expect(refusal('StageDurations', { ...period, groupBy: 'collector' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'groupBy' });
  });

  it("StageCounts, CasesInStage, CasesOfCollector and StageDurations narrow to the debtor's jurisdiction, a country taking in its own", async () => {
    const [illinois, california] = cases as [string, string];
    // The jurisdiction comes from each account's AccountPlaced, through a consumer of its own.
    const inContact = async (jurisdiction: string) => (await ask<StageCount[]>('StageCounts', { jurisdiction })).find((count) => count.stage === 'contact')?.cases;
    await eventually(async () => expect(await inContact('US-CA')).toBe(1), { timeoutMs: 20_000 });
    expect(await inContact('US-IL')).toBe(1);
    expect(await inContact('US')).toBe(2);
    expect(await inContact('CN')).toBe(0);
    expect((await ask<CasePage>('CasesInStage', { stage: 'contact', jurisdiction: 'US-CA' })).rows.map((row) => row.caseId)).toEqual([california]);
    expect((await ask<CasePage>('CasesOfCollector', { collectorId: 'collector-7', jurisdiction: 'US-IL' }, asCollector('collector-7'))).rows.map((row) => row.caseId)).toEqual([illinois]);
    expect((await ask<CasePage>('CasesInStage', { stage: 'contact', jurisdiction: 'US' })).rows.map((row) => row.caseId)).toEqual(cases);

    const period = { from: opened, to: new Date(Date.parse(opened) + WEEK).toISOString(), asOf: now.toISOString() };
    const openVisits = async (params: Record<string, unknown>) => (await ask<StageDurations>('StageDurations', { ...period, ...params })).groups.map((group) => group.open.count);
    expect(await openVisits({ jurisdiction: 'US-CA' })).toEqual([1]);
    expect(await openVisits({ jurisdiction: 'US' })).toEqual([2]);
    expect(await openVisits({ jurisdiction: 'CN' })).toEqual([]);
    expect(await openVisits({ product: 'credit-card', jurisdiction: 'US-IL' })).toEqual([1]);
    expect(await openVisits({ product: 'telecom' })).toEqual([]);
    await expect(refusal('StageCounts', { jurisdiction: 'California' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'jurisdiction' });
    await expect(refusal('StageDurations', { ...period, product: 'yacht' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'product' });
  });
});
