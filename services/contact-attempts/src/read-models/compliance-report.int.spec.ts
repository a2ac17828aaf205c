import { randomUUID } from 'node:crypto';
import { freshReadModels } from '@arrears/read-models/src/testing/test-read-model';
import { ContactStream, realisticContacts, type RealisticContacts } from './testing/contact-history';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';

describe('the compliance report', () => {
  const readModel = freshReadModels(() => createTestReadModel('contact_report'));
  const april = { from: '2026-04-01', to: '2026-04-30' } as const;

  const realistic = async (): Promise<{ model: TestReadModel; world: RealisticContacts }> => {
    const model = await readModel();
    const world = realisticContacts();
    await feed(model.projection(), world.events);
    return { model, world };
  };

  it('reports a compliant month: blocked attempts by rule, no quiet-hours or frequency breach, language hits, complaints', async () => {
    const { model } = await realistic();
    expect(await model.queries.complianceReport(april)).toEqual({
      from: '2026-04-01',
      to: '2026-04-30',
      jurisdiction: null,
      creditorId: null,
      product: null,
      contacts: { allowed: 10, blocked: 4 },
      // The late call of the 15th was blocked by two rules and counts for each.
      blockedByRule: [
        { ruleId: 'reg-f.post-conversation', blocked: 2 },
        { ruleId: 'cn.connected-calls', blocked: 1 },
        { ruleId: 'cn.quiet-hours', blocked: 1 },
        { ruleId: 'reg-f.quiet-hours', blocked: 1 },
      ],
      quietHours: { checked: 10, notChecked: 0, unverifiable: 0, violations: 0, listed: [] },
      frequency: { callsPerAccount: { violations: 0, listed: [] }, connectedCallsPerDebtorDay: { violations: 0, listed: [] } },
      prohibitedLanguage: [
        { category: 'abuse', hits: 1, detections: 1 },
        { category: 'threat-arrest', hits: 1, detections: 1 },
        { category: 'threat-lawsuit-without-basis', hits: 1, detections: 1 },
      ],
      complaints: {
        received: 3,
        open: 1,
        resolved: 2,
        upheld: 1,
        // Two days and nine days.
        handlingSeconds: { median: (172_800 + 777_600) / 2, max: 777_600 },
        byCategory: [
          { category: 'frequency', received: 1, open: 0, resolved: 1, upheld: 0 },
          { category: 'language', received: 1, open: 1, resolved: 0, upheld: 0 },
          { category: 'third-party-disclosure', received: 1, open: 0, resolved: 1, upheld: 1 },
        ],
      },
    });
  });

  it("narrows to the case's creditor and product, complaints and language hits with their account's contacts", async () => {
    const { model } = await realistic();
    // A's account is Acme's credit card (the one in Illinois), C's Globex's telecom account (the one in China); B's
    // placement was never applied here, so B matches neither.
    const figures = ({ contacts, blockedByRule, quietHours, frequency, prohibitedLanguage, complaints }: Awaited<ReturnType<typeof model.queries.complianceReport>>) => ({
      contacts,
      blockedByRule,
      quietHours,
      frequency,
      prohibitedLanguage,
      complaints,
    });
    const acme = await model.queries.complianceReport({ ...april, creditorId: 'acme' });
    expect(acme).toMatchObject({ creditorId: 'acme', product: null, jurisdiction: null });
    expect(figures(acme)).toEqual(figures(await model.queries.complianceReport({ ...april, jurisdiction: 'US-IL' })));
    expect(figures(acme).complaints.received).toBe(1);
    const telecom = await model.queries.complianceReport({ ...april, product: 'telecom' });
    expect(figures(telecom)).toEqual(figures(await model.queries.complianceReport({ ...april, jurisdiction: 'CN' })));
    expect(figures(telecom).prohibitedLanguage).not.toEqual([]);
    expect(figures(await model.queries.complianceReport({ ...april, creditorId: 'globex', product: 'credit-card' }))).toMatchObject({
      contacts: { allowed: 0, blocked: 0 },
      blockedByRule: [],
      prohibitedLanguage: [],
      complaints: { received: 0 },
    });
  }, 30_000);

  it('narrows to a country or one jurisdiction, and counts complaints as of the end of the range', async () => {
    const { model } = await realistic();
    const us = await model.queries.complianceReport({ ...april, jurisdiction: 'US' });
    expect(us).toMatchObject({
      jurisdiction: 'US',
      contacts: { allowed: 7, blocked: 2 },
      blockedByRule: [
        { ruleId: 'reg-f.post-conversation', blocked: 2 },
        { ruleId: 'reg-f.quiet-hours', blocked: 1 },
      ],
      quietHours: { checked: 7 },
      prohibitedLanguage: [{ category: 'threat-arrest', hits: 1, detections: 1 }],
      complaints: { received: 2, open: 0, upheld: 1, handlingSeconds: { median: 475_200, max: 777_600 } },
    });
    const newYork = await model.queries.complianceReport({ ...april, jurisdiction: 'US-NY' });
    expect(newYork).toMatchObject({ contacts: { allowed: 3, blocked: 0 }, blockedByRule: [], prohibitedLanguage: [], complaints: { received: 1, upheld: 1, handlingSeconds: { median: 777_600, max: 777_600 } } });
    const china = await model.queries.complianceReport({ ...april, jurisdiction: 'CN' });
    expect(china).toMatchObject({
      contacts: { allowed: 3, blocked: 2 },
      prohibitedLanguage: [
        { category: 'abuse', hits: 1 },
        { category: 'threat-lawsuit-without-basis', hits: 1 },
      ],
      complaints: { received: 1, open: 1, resolved: 0, handlingSeconds: null },
    });

    // On the 15th B's complaint (resolved on the 20th) was still open.
    const firstHalf = await model.queries.complianceReport({ from: '2026-04-01', to: '2026-04-15' });
    expect(firstHalf.complaints).toMatchObject({ received: 3, open: 2, resolved: 1, upheld: 0, handlingSeconds: { median: 172_800, max: 172_800 } });
    // March holds one allowed call and nothing else.
    expect(await model.queries.complianceReport({ from: '2026-03-01', to: '2026-03-31' })).toMatchObject({ contacts: { allowed: 1, blocked: 0 }, blockedByRule: [], complaints: { received: 0, handlingSeconds: null } });
  });

  it('finds allowed contacts in the quiet hours, in any of the zones they were judged in', async () => {
    const { model } = await realistic();
    // Judged in New York (08:30, inside) and Los Angeles (05:30, outside): a breach.
    const d = new ContactStream(randomUUID(), { jurisdiction: 'US-NY', timeZones: ['America/New_York', 'America/Los_Angeles'], rulePack: 'reg-f' });
    const d1 = randomUUID();
    const early = d.allow({ accountId: d1, intendedAt: '2026-04-21T12:30:00.000Z' });
    // Blocked at night: as it should be. A letter has no time of day.
    d.block({ accountId: d1, intendedAt: '2026-04-21T03:00:00.000Z', reasons: [{ ruleId: 'reg-f.quiet-hours', message: '23:00 in America/New_York' }] });
    d.allow({ accountId: d1, intendedAt: '2026-04-21T04:00:00.000Z', channel: 'letter', target: '1 Main St' });
    // Shanghai: 21:59 and 08:00 are inside, 22:15 is not.
    const e = new ContactStream(randomUUID(), { jurisdiction: 'CN', timeZones: ['Asia/Shanghai'], rulePack: 'cn-post-loan' });
    const e1 = randomUUID();
    e.allow({ accountId: e1, intendedAt: '2026-04-21T13:59:00.000Z', operatorId: 'collector-cn-1' });
    const late = e.allow({ accountId: e1, intendedAt: '2026-04-21T14:15:00.000Z', operatorId: 'collector-cn-1' });
    e.allow({ accountId: e1, intendedAt: '2026-04-22T00:00:00.000Z', operatorId: 'collector-cn-1' });
    await feed(model.projection(), [...d.events, ...e.events]);

    const { quietHours } = await model.queries.complianceReport(april);
    expect(quietHours).toEqual({
      checked: 14,
      notChecked: 0,
      unverifiable: 0,
      violations: 2,
      listed: [
        {
          contactId: early,
          accountId: d1,
          debtorId: d.debtorId,
          operatorId: 'collector-7',
          channel: 'call',
          jurisdiction: 'US-NY',
          intendedAt: '2026-04-21T12:30:00.000Z',
          timeZone: 'America/Los_Angeles',
          localTime: '2026-04-21T05:30:00',
          window: { from: '08:00', to: '21:00' },
        },
        {
          contactId: late,
          accountId: e1,
          debtorId: e.debtorId,
          operatorId: 'collector-cn-1',
          channel: 'call',
          jurisdiction: 'CN',
          intendedAt: '2026-04-21T14:15:00.000Z',
          timeZone: 'Asia/Shanghai',
          localTime: '2026-04-21T22:15:00',
          window: { from: '08:00', to: '22:00' },
        },
      ],
    });

    // The windows are parameters: without a window for CN its contacts are not checked; a narrower US window finds more.
    const usOnly = await model.queries.complianceReport({ ...april, contactWindows: { US: { from: '08:00', to: '21:00' } } });
    expect(usOnly.quietHours).toMatchObject({ checked: 8, notChecked: 6, violations: 1 });
    const nineToFive = await model.queries.complianceReport({ ...april, contactWindows: { US: { from: '09:00', to: '17:00' } }, listLimit: 0 });
    // Within 09:00–17:00 in every zone: A at 09:30, 10:12, 14:05, 15:15; B at 13:00/10:00, 12:00/09:00, 12:30/09:30. Not D.
    expect(nineToFive.quietHours).toMatchObject({ violations: 1, listed: [] });
    // Letters are checked only when asked for.
    expect((await model.queries.complianceReport({ ...april, quietHoursChannels: ['letter'] })).quietHours).toMatchObject({ checked: 1, violations: 1 });
  });

  it('finds an eighth allowed call to one account within 7 days, counting the days before the range', async () => {
    const { model } = await realistic();
    const f = new ContactStream();
    const f1 = randomUUID();
    const days = ['20', '21', '22', '23', '24', '25', '26'];
    for (const day of days) f.allow({ accountId: f1, intendedAt: `2026-04-${day}T15:00:00.000Z` });
    const eighth = f.allow({ accountId: f1, intendedAt: '2026-04-26T18:00:00.000Z', operatorId: 'collector-9' });
    // Exactly seven days after the first call that window no longer holds it: seven, not eight.
    const g = new ContactStream();
    const g1 = randomUUID();
    for (const day of days) g.allow({ accountId: g1, intendedAt: `2026-04-${day}T15:00:00.000Z` });
    g.allow({ accountId: g1, intendedAt: '2026-04-27T15:00:00.000Z' });
    // One debtor, two debts, eight calls: the limit is per debt.
    const h = new ContactStream();
    const [h1, h2] = [randomUUID(), randomUUID()];
    for (const day of ['20', '21', '22', '23']) {
      h.allow({ accountId: h1, intendedAt: `2026-04-${day}T15:00:00.000Z` });
      h.allow({ accountId: h2, intendedAt: `2026-04-${day}T16:00:00.000Z` });
    }
    await feed(model.projection(), [...f.events, ...g.events, ...h.events]);

    const expected = {
      violations: 1,
      listed: [{ accountId: f1, contactId: eighth, operatorId: 'collector-9', intendedAt: '2026-04-26T18:00:00.000Z', callsInWindow: 8, windowStart: '2026-04-20T15:00:00.000Z', limit: 7 }],
    };
    expect((await model.queries.complianceReport(april)).frequency.callsPerAccount).toEqual(expected);
    // A range starting on the 26th still sees the calls before it.
    expect((await model.queries.complianceReport({ from: '2026-04-26', to: '2026-04-30' })).frequency.callsPerAccount).toEqual(expected);
    expect((await model.queries.complianceReport({ from: '2026-04-27', to: '2026-04-30' })).frequency.callsPerAccount).toEqual({ violations: 0, listed: [] });
    // The limit is a parameter.
    expect((await model.queries.complianceReport({ ...april, callsPerAccountPer7Days: { US: 8 } })).frequency.callsPerAccount.violations).toBe(0);
  });

  it('finds a fourth connected call to one debtor in one local day, across their debts', async () => {
    const { model } = await realistic();
    const cn = { jurisdiction: 'CN', timeZones: ['Asia/Shanghai'], rulePack: 'cn-post-loan' };
    const h = new ContactStream(randomUUID(), cn);
    const [h1, h2] = [randomUUID(), randomUUID()];
    const calls = [
      h.call({ accountId: h1, intendedAt: '2026-04-21T01:00:00.000Z', operatorId: 'collector-cn-1' }, 'third-party'),
      h.call({ accountId: h2, intendedAt: '2026-04-21T02:00:00.000Z', operatorId: 'collector-cn-2' }, 'refused'),
      h.call({ accountId: h1, intendedAt: '2026-04-21T03:00:00.000Z', operatorId: 'collector-cn-1' }, 'wrong-number'),
      h.call({ accountId: h2, intendedAt: '2026-04-21T04:00:00.000Z', operatorId: 'collector-cn-2' }, 'right-party-contact'),
    ];
    // Four calls in a day of which one was not answered: three connected.
    const i = new ContactStream(randomUUID(), cn);
    const i1 = randomUUID();
    for (const [hour, outcome] of [['01', 'right-party-contact'], ['02', 'no-answer'], ['03', 'refused'], ['04', 'third-party']] as const) {
      i.call({ accountId: i1, intendedAt: `2026-04-21T${hour}:00:00.000Z` }, outcome);
    }
    await feed(model.projection(), [...h.events, ...i.events]);

    const { connectedCallsPerDebtorDay } = (await model.queries.complianceReport(april)).frequency;
    expect(connectedCallsPerDebtorDay).toEqual({
      violations: 1,
      listed: [{ debtorId: h.debtorId, timeZone: 'Asia/Shanghai', localDate: '2026-04-21', connectedCalls: 4, limit: 3, contactIds: calls }],
    });
    expect((await model.queries.complianceReport({ ...april, connectedCallsPerDebtorPerDay: { CN: 4 } })).frequency.connectedCallsPerDebtorDay.violations).toBe(0);
    expect((await model.queries.complianceReport({ ...april, jurisdiction: 'US' })).frequency.connectedCallsPerDebtorDay.violations).toBe(0);
  });
});
