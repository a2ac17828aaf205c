import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { allPages } from '@arrears/read-models/src/testing/paging';
import { rejection } from '@arrears/testing';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';
import { CaseStream, History, realisticWorkflow, RosterStream, type RealisticWorkflow } from './testing/workflow-history';
import type { ItemKey } from './query-params';
import type { CaseView, MissedDeadlineView, OverdueItemView, StageDurationGroup } from './workflow-queries';

const HOUR = 3_600_000;
const JUNE = { from: '2027-06-01T00:00:00.000Z', to: '2027-07-01T00:00:00.000Z' };

describe('WorkflowQueries', () => {
  let model: TestReadModel;
  let world: RealisticWorkflow;
  /** Five utility cases of team south that entered contact at one instant, each first attempt due at one instant. */
  const south: CaseStream[] = [];
  /** A case south's roster gave to collector-paging before its CaseOpened arrived here. */
  let unopened: CaseStream;

  beforeAll(async () => {
    model = await createTestReadModel('workflow_queries');
    world = realisticWorkflow();
    const history = new History();
    const roster = new RosterStream('south', history);
    roster.register('collector-paging', 'Finn Alder', '2027-06-01T07:00:00.000Z', { capacity: 2 });
    roster.register('collector-other', 'Gia Moreau', '2027-06-01T07:00:01.000Z');
    for (let i = 0; i < 5; i += 1) {
      const kase = new CaseStream(randomUUID(), history);
      kase.open('2027-06-11T08:00:00.000Z', { product: 'utility', bucket: 'current', tier: 'medium' });
      kase.enter('contact', '2027-06-11T08:00:00.000Z', { checklist: [{ item: 'first-attempt', dueAt: '2027-06-12T08:00:00.000Z' }] });
      roster.assign(kase, i < 3 ? 'collector-paging' : 'collector-other', '2027-06-11T08:00:05.000Z');
      south.push(kase);
    }
    south.sort((x, y) => x.caseId.localeCompare(y.caseId));
    unopened = new CaseStream(randomUUID(), history);
    unopened.open('2027-06-11T09:00:00.000Z');
    roster.assign(unopened, 'collector-paging', '2027-06-11T09:00:05.000Z');
    await feed(model.projection(), [...world.events, ...history.events.filter((event) => event.streamId !== `case-${unopened.caseId}`)]);
  });

  afterAll(async () => {
    await model.drop();
  });

  const ids = (rows: readonly { readonly caseId: string }[]) => rows.map((row) => row.caseId);

  describe('cases per stage and per collector', () => {
    it('counts the cases in each stage, narrowed by collector, team, bucket, tier and product', async () => {
      const counts = async (filter = {}) => (await model.queries.stageCounts(filter)).map(({ stage, cases }) => `${stage} ${cases}`);
      // D and south's five in contact; the case not yet opened here is in no stage.
      expect(await counts()).toEqual(['contact 6', 'pressure 2', 'negotiate 1', 'close 1']);
      expect(await counts({ collectorId: 'collector-7' })).toEqual(['contact 0', 'pressure 1', 'negotiate 0', 'close 0']);
      // B was released when it closed: collector-9 holds C alone.
      expect(await counts({ collectorId: 'collector-9' })).toEqual(['contact 0', 'pressure 1', 'negotiate 0', 'close 0']);
      expect(await counts({ teamId: 'north' })).toEqual(['contact 0', 'pressure 0', 'negotiate 1', 'close 0']);
      // A turned high risk in pressure.
      expect(await counts({ tier: 'high' })).toEqual(['contact 0', 'pressure 2', 'negotiate 0', 'close 1']);
      expect(await counts({ bucket: '31-90' })).toEqual(['contact 1', 'pressure 0', 'negotiate 0', 'close 1']);
      expect(await counts({ product: 'utility' })).toEqual(['contact 5', 'pressure 0', 'negotiate 0', 'close 0']);
      expect(await counts({ tier: 'high', collectorId: 'collector-9', product: 'auto-loan' })).toEqual(['contact 0', 'pressure 1', 'negotiate 0', 'close 0']);
      expect(await counts({ collectorId: 'nobody' })).toEqual(['contact 0', 'pressure 0', 'negotiate 0', 'close 0']);
    });

    it('lists the cases in a stage, the longest there first, with what the case and the roster say of each', async () => {
      const { a, b, c } = world;
      const pressure = await model.queries.casesInStage('pressure');
      expect(ids(pressure.rows)).toEqual([a.caseId, c.caseId]);
      expect(pressure.nextAfter).toBeNull();
      expect(pressure.rows[1]).toEqual({
        caseId: c.caseId,
        stage: 'pressure',
        stageEntry: 2,
        stageEnteredAt: '2027-06-05T10:00:00.000Z',
        openedAt: '2027-06-02T10:00:00.000Z',
        product: 'auto-loan',
        balance: { minor: 800_000, currency: 'USD' },
        agingBucket: '90+',
        riskTier: 'high',
        assignment: 'assigned',
        teamId: 'main',
        collectorId: 'collector-9',
        assignedAt: '2027-06-03T11:00:00.000Z',
        legalEscalationRequestedAt: '2027-06-12T10:00:00.000Z',
        legalEscalationHeldAt: '2027-06-09T10:00:00.000Z',
        closedReason: null,
        closedAt: null,
      });
      expect(ids((await model.queries.casesInStage('pressure', { collectorId: 'collector-9' })).rows)).toEqual([c.caseId]);
      expect(ids((await model.queries.casesInStage('pressure', { tier: 'high', bucket: '1-30' })).rows)).toEqual([a.caseId]);
      expect((await model.queries.casesInStage('close')).rows).toEqual([
        expect.objectContaining({ caseId: b.caseId, balance: { minor: 30_000, currency: 'EUR' }, assignment: 'released', collectorId: null, closedReason: 'settled', closedAt: '2027-06-07T09:00:00.000Z' }),
      ]);
      expect((await model.queries.casesInStage('negotiate', { teamId: 'main' })).rows).toEqual([]);
    });

    it('pages by keyset: time entered, then case id; a collector’s case not yet in a stage last', async () => {
      const contact = await allPages<CaseView, string>((after) => model.queries.casesInStage('contact', { limit: 2, ...(after === undefined ? {} : { after }) }));
      expect(contact.map((page) => page.length)).toEqual([2, 2, 2]);
      // D since 3 June, then south's five, all since 11 June 08:00, by id.
      expect(contact.flat().map((row) => row.caseId)).toEqual([world.d.caseId, ...ids(south)]);

      const paging = await allPages<CaseView, string>((after) => model.queries.casesOfCollector('collector-paging', { limit: 3, ...(after === undefined ? {} : { after }) }));
      expect(paging.map((page) => page.length)).toEqual([3, 1]);
      const held = paging.flat();
      expect(held.at(-1)).toMatchObject({ caseId: unopened.caseId, stage: null, openedAt: null, product: null, balance: null, assignment: 'assigned', collectorId: 'collector-paging' });
      expect(held.slice(0, 3).every((row) => row.stage === 'contact' && row.collectorId === 'collector-paging')).toBe(true);
      expect(ids((await model.queries.casesOfCollector('collector-paging', { stage: 'contact' })).rows)).toHaveLength(3);
      expect((await model.queries.casesOfCollector('collector-other')).rows.map((row) => row.teamId)).toEqual(['south', 'south']);

      // A cursor naming no case here ends the list.
      expect((await model.queries.casesInStage('contact', { after: randomUUID() })).rows).toEqual([]);
    });

    it('gives each collector’s open cases by stage against their capacity', async () => {
      const workload = await model.queries.collectorWorkload();
      expect(workload.map((row) => [row.teamId, row.collectorId])).toEqual([
        ['main', 'collector-7'],
        ['main', 'collector-9'],
        ['north', 'collector-3'],
        ['south', 'collector-other'],
        ['south', 'collector-paging'],
      ]);
      expect(workload[0]).toEqual({
        teamId: 'main',
        collectorId: 'collector-7',
        name: 'Ana Ruiz',
        specialties: ['credit-card', 'auto-loan'],
        capacity: 2,
        available: false,
        absentUntil: '2027-06-20',
        openCases: 1,
        spare: 1,
        byStage: { contact: 0, pressure: 1, negotiate: 0, close: 0, none: 0 },
      });
      // Four cases on a capacity of two: the one not yet opened here counts too, in no stage.
      expect(workload[4]).toMatchObject({ openCases: 4, capacity: 2, spare: -2, byStage: { contact: 3, pressure: 0, negotiate: 0, close: 0, none: 1 } });
      expect((await model.queries.collectorWorkload({ teamId: 'main' })).map((row) => [row.collectorId, row.openCases, row.capacity, row.byStage.pressure])).toEqual([
        ['collector-7', 1, 2, 1],
        ['collector-9', 1, 4, 1],
      ]);
      expect(await model.queries.collectorWorkload({ collectorId: 'collector-3' })).toEqual([expect.objectContaining({ teamId: 'north', openCases: 1, byStage: expect.objectContaining({ negotiate: 1 }) })]);
    });
  });

  describe('overdue checklist items', () => {
    const overdue = async (asOf: string, options = {}) =>
      (await model.queries.overdueItems(asOf, options)).rows.map((row) => [row.caseId, row.item, row.dueAt, row.overdueMs / HOUR, row.missed, row.status, row.collectorId]);

    it('lists the items overdue at an instant: of the entry the case was in then, not done by then, past their deadline', async () => {
      const { a, b, c } = world;
      expect(await overdue('2027-06-04T12:00:00.000Z')).toEqual([
        [a.caseId, 'right-party-contact', '2027-06-04T08:00:00.000Z', 4, true, 'missed', 'collector-7'],
        // Met only the next day: overdue then, done now; released since, so nobody holds the case now.
        [b.caseId, 'commitment', '2027-06-04T09:00:00.000Z', 3, false, 'done', null],
        // Missed on 3 June, then given until 10:00: overdue again, but that deadline not yet missed.
        [c.caseId, 'first-attempt', '2027-06-04T10:00:00.000Z', 2, false, 'done', 'collector-9'],
      ]);
      // A deadline reached is overdue the moment its miss is recorded; a second before, nothing is.
      expect(await overdue('2027-06-04T08:00:00.000Z')).toEqual([[a.caseId, 'right-party-contact', '2027-06-04T08:00:00.000Z', 0, true, 'missed', 'collector-7']]);
      expect(await overdue('2027-06-04T07:59:59.000Z')).toEqual([]);
      // Half an hour later A has left contact, so its item is no longer owed; B's commitment still is until 09:00.
      expect((await overdue('2027-06-05T08:30:00.000Z')).map(([caseId, item, , hours]) => [caseId, item, hours])).toEqual([[b.caseId, 'commitment', 23.5]]);
    });

    it('narrows to the cases a collector or team holds now, or to one stage', async () => {
      const { a, b, c, d } = world;
      const asOf = '2027-06-08T12:00:00.000Z';
      expect((await overdue(asOf)).map(([caseId, item, , hours, missed]) => [caseId, item, hours, missed])).toEqual([
        [d.caseId, 'right-party-contact', 52, true],
        [a.caseId, 'legal-consequences-notice', 4, false],
        [c.caseId, 'legal-consequences-notice', 2, true],
      ]);
      expect((await overdue(asOf, { collectorId: 'collector-9' })).map(([caseId]) => caseId)).toEqual([c.caseId]);
      expect((await overdue(asOf, { stage: 'contact' })).map(([caseId]) => caseId)).toEqual([d.caseId]);
      expect((await overdue(asOf, { teamId: 'north' })).map(([caseId]) => caseId)).toEqual([]);
      expect((await overdue('2027-06-04T12:00:00.000Z', { stage: 'negotiate' })).map(([caseId]) => caseId)).toEqual([b.caseId]);
    });

    it('pages by keyset: deadline, then case, entry and item', async () => {
      const asOf = '2027-06-12T09:00:00.000Z';
      const pages = await allPages<OverdueItemView, ItemKey>((after) => model.queries.overdueItems(asOf, { limit: 3, ...(after === undefined ? {} : { after }) }));
      expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
      expect(pages.flat().map((row) => row.caseId)).toEqual([world.d.caseId, world.a.caseId, world.c.caseId, ...ids(south)]);
      const first = await model.queries.overdueItems(asOf, { limit: 4 });
      expect(first.nextAfter).toEqual({ caseId: south[0]!.caseId, entry: 1, item: 'first-attempt' });
      expect((await model.queries.overdueItems(asOf, { after: { caseId: randomUUID(), entry: 1, item: 'commitment' } })).rows).toEqual([]);
    });

    it('lists the deadlines missed in a period, by when they were missed, narrowed to the collector alerted or a stage', async () => {
      const { a, c, d } = world;
      const missed = async (from: string, to: string, options = {}) =>
        (await model.queries.missedDeadlines(from, to, options)).rows.map((row) => [row.caseId, row.item, row.missedAt, row.missedCollectorId, row.status]);
      expect(await missed(JUNE.from, JUNE.to)).toEqual([
        [c.caseId, 'first-attempt', '2027-06-03T10:00:00.000Z', 'collector-7', 'done'],
        [a.caseId, 'right-party-contact', '2027-06-04T08:00:00.000Z', 'collector-7', 'missed'],
        [d.caseId, 'right-party-contact', '2027-06-06T08:00:00.000Z', null, 'missed'],
        [c.caseId, 'legal-consequences-notice', '2027-06-08T10:00:00.000Z', 'collector-9', 'missed'],
      ]);
      // The collector alerted then, though C is collector-9's now.
      expect((await missed(JUNE.from, JUNE.to, { collectorId: 'collector-7' })).map(([caseId, item]) => [caseId, item])).toEqual([
        [c.caseId, 'first-attempt'],
        [a.caseId, 'right-party-contact'],
      ]);
      expect((await missed(JUNE.from, JUNE.to, { stage: 'pressure' })).map(([caseId]) => caseId)).toEqual([c.caseId]);
      // From included, to excluded.
      expect((await missed('2027-06-04T08:00:00.000Z', '2027-06-06T08:00:00.000Z')).map(([caseId]) => caseId)).toEqual([a.caseId]);
      const pages = await allPages<MissedDeadlineView, ItemKey>((after) => model.queries.missedDeadlines(JUNE.from, JUNE.to, { limit: 3, ...(after === undefined ? {} : { after }) }));
      expect(pages.map((page) => page.length)).toEqual([3, 1]);
    });
  });

  describe('stage durations', () => {
    const figures = (groups: readonly StageDurationGroup[]) =>
      groups.map((group) => [
        group.stage,
        group.key,
        group.completed.count,
        ...[group.completed.averageMs, group.completed.medianMs, group.completed.p90Ms].map((ms) => (ms === null ? null : ms / HOUR)),
        group.open.count,
        ...[group.open.averageAgeMs, group.open.oldestAgeMs].map((ms) => (ms === null ? null : ms / HOUR)),
      ]);

    it('gives per stage the count, average, median and 90th percentile of the visits that ended in the period, and the open visits’ ages', async () => {
      const durations = await model.queries.stageDurations({ ...JUNE, asOf: '2027-06-10T10:00:00.000Z' });
      expect(durations).toMatchObject({ ...JUNE, asOf: '2027-06-10T10:00:00.000Z', groupBy: null });
      expect(figures(durations.groups)).toEqual([
        // A 96 h, B 48 h, C 72 h, E 48 h; D open since 3 June 08:00 (south's cases entered after the instant asked about).
        ['contact', null, 4, 66, 60, 88.8, 1, 170, 170],
        // A since 5 June 08:00, C since 10:00.
        ['pressure', null, 0, null, null, null, 2, 121, 122],
        // B 96 h; E since 6 June 12:00. B's close stage is its end: neither completed nor open.
        ['negotiate', null, 1, 96, 96, 96, 1, 94, 94],
      ]);
    });

    it('groups by the risk tier or aging bucket the case had when it entered the stage, and narrows to one', async () => {
      const byTier = await model.queries.stageDurations({ ...JUNE, asOf: '2027-06-10T10:00:00.000Z', groupBy: 'tier' });
      expect(figures(byTier.groups)).toEqual([
        ['contact', 'low', 1, 48, 48, 48, 1, 170, 170],
        ['contact', 'medium', 1, 96, 96, 96, 0, null, null],
        ['contact', 'high', 2, 60, 60, 69.6, 0, null, null],
        // A was medium risk when it entered pressure, high risk since.
        ['pressure', 'medium', 0, null, null, null, 1, 122, 122],
        ['pressure', 'high', 0, null, null, null, 1, 120, 120],
        ['negotiate', 'low', 0, null, null, null, 1, 94, 94],
        ['negotiate', 'high', 1, 96, 96, 96, 0, null, null],
      ]);
      const highByBucket = await model.queries.stageDurations({ ...JUNE, asOf: '2027-06-10T10:00:00.000Z', groupBy: 'bucket', tier: 'high' });
      expect(figures(highByBucket.groups)).toEqual([
        ['contact', '31-90', 1, 48, 48, 48, 0, null, null],
        ['contact', '90+', 1, 72, 72, 72, 0, null, null],
        ['pressure', '90+', 0, null, null, null, 1, 120, 120],
        ['negotiate', '31-90', 1, 96, 96, 96, 0, null, null],
      ]);
    });

    it('counts only the visits that ended in the period, and takes the open ones at its end unless told another instant', async () => {
      const early = await model.queries.stageDurations({ from: '2027-06-04T00:00:00.000Z', to: '2027-06-06T00:00:00.000Z' });
      expect(early.asOf).toBe('2027-06-06T00:00:00.000Z');
      expect(figures(early.groups)).toEqual([
        // A (96 h) and C (72 h) left contact in the period; D (since 3 June 08:00) and E (since 4 June 12:00) had not.
        ['contact', null, 2, 84, 84, 93.6, 2, 50, 64],
        ['pressure', null, 0, null, null, null, 2, 15, 16],
        ['negotiate', null, 0, null, null, null, 1, 63, 63],
      ]);
      // At the end of June: D and south's five still in contact.
      const june = await model.queries.stageDurations(JUNE);
      expect(figures(june.groups)[0]).toEqual(['contact', null, 4, 66, 60, 88.8, 6, (664 + 5 * 472) / 6, 664]);
    });
  });

  it('refuses parameters that are not valid, naming the field', async () => {
    const refusals: [Promise<unknown>, string][] = [
      [model.queries.stageCounts({ stage: 'contact' } as never), 'stage'],
      [model.queries.stageCounts({ tier: 'extreme' } as never), 'tier'],
      [model.queries.casesInStage('limbo' as never), 'stage'],
      [model.queries.casesInStage('contact', { limit: 0 }), 'limit'],
      [model.queries.casesInStage('contact', { limit: 201 }), 'limit'],
      [model.queries.casesOfCollector('collector-7', { after: 'not-a-case' }), 'after'],
      [model.queries.casesOfCollector(''), 'collectorId'],
      [model.queries.collectorWorkload({ team: 'main' } as never), 'team'],
      [model.queries.overdueItems('tomorrow'), 'asOf'],
      [model.queries.overdueItems('2027-06-04T12:00:00.000Z', { after: { caseId: randomUUID(), entry: 0, item: 'commitment' } }), 'after.entry'],
      [model.queries.missedDeadlines(JUNE.to, JUNE.from), 'to'],
      [model.queries.missedDeadlines(JUNE.from, JUNE.from), 'to'],
      [model.queries.stageDurations({ ...JUNE, groupBy: 'product' } as never), 'groupBy'],
      [model.queries.stageDurations({ from: JUNE.from } as never), 'to'],
    ];
    for (const [query, field] of refusals) expect({ field, error: await rejection(query) }).toMatchObject({ field, error: { code: ErrorCode.VALIDATION_FAILED, field } });
  });
});
