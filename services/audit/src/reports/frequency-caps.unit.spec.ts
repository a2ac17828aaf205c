import { frequencyCapCsv, frequencyCapReport, FREQUENCY_CAP_CSV_COLUMNS, type FrequencyCapReport } from './index';
import { ana, APRIL, chicago, compliantApril, shanghai, wei } from './testing/april';
import { collector, Debtor, GlobalLog } from './testing/history';

const NONE = [
  { rule: 'reg-f.call-frequency', breaches: 0 },
  { rule: 'reg-f.post-conversation', breaches: 0 },
  { rule: 'cn.connected-calls', breaches: 0 },
  { rule: 'cn.unanswered-per-number', breaches: 0 },
];

const counts = (report: FrequencyCapReport) => Object.fromEntries(report.byRule.map(({ rule, breaches }) => [rule, breaches]));

describe('frequency-cap breaches', () => {
  it('finds none in a compliant month: 7 calls in 7 days, the 8th exactly 7 × 24 h after the first, the next call exactly 7 × 24 h after a conversation, China at its daily caps', () => {
    const { events } = compliantApril();

    const report = frequencyCapReport(events, APRIL);

    expect(report).toEqual({ period: { from: '2026-04-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z' }, calls: 23, byRule: NONE, breaches: [], unverifiable: [], unreadableEvents: 0 });
    expect(frequencyCapCsv(report)).toBe(`${FREQUENCY_CAP_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('finds an eighth call about a debt in 7 × 24 h, naming the seven before it', () => {
    const april = compliantApril();
    const eighth = april.illinois.allow({ accountId: april.accounts.illinois, intendedAt: chicago(7, '18:00:00'), operator: ana });

    const report = frequencyCapReport(april.events, APRIL);

    // The eighth is also within 7 × 24 h before the call of 8 April 09:00 — whose window then holds 8 too (2–8 April).
    expect(report.breaches).toEqual([
      {
        rule: 'reg-f.call-frequency',
        rulePack: 'reg-f',
        debtorId: april.illinois.debtorId,
        accountId: april.accounts.illinois,
        channel: 'call',
        targetKey: null,
        contactId: eighth,
        eventId: expect.any(String),
        operatorId: 'collector-ana',
        intendedAtUtc: '2026-04-07T23:00:00.000Z',
        counted: 8,
        limit: 7,
        spanFrom: '2026-03-31T23:00:00.000Z',
        spanTo: '2026-04-07T23:00:00.000Z',
        timeZone: null,
        localDate: null,
        contactIds: [...april.anaCalls.slice(0, 7), eighth],
      },
      expect.objectContaining({ rule: 'reg-f.call-frequency', contactId: april.anaCalls[7], counted: 8, contactIds: [...april.anaCalls.slice(1, 7), eighth, april.anaCalls[7]] }),
    ]);
    expect(counts(report)).toMatchObject({ 'reg-f.call-frequency': 2, 'reg-f.post-conversation': 0 });
    expect(frequencyCapCsv(report).split('\r\n')[1]).toBe(
      `reg-f.call-frequency,reg-f,${april.illinois.debtorId},${april.accounts.illinois},call,,${eighth},collector-ana,2026-04-07T23:00:00.000Z,8,7,2026-03-31T23:00:00.000Z,2026-04-07T23:00:00.000Z,,,${[...april.anaCalls.slice(0, 7), eighth].join(' ')},${report.breaches[0]?.eventId}`,
    );
  });

  it('counts the calls before the period towards its first windows', () => {
    const april = compliantApril();
    april.illinois.allow({ accountId: april.accounts.illinois, intendedAt: chicago(7, '18:00:00'), operator: ana });

    const report = frequencyCapReport(april.events, { from: '2026-04-07T12:00:00Z', to: '2026-04-08T00:00:00Z' });

    expect(report.calls).toBe(2);
    expect(report.breaches).toEqual([expect.objectContaining({ rule: 'reg-f.call-frequency', counted: 8, intendedAtUtc: '2026-04-07T23:00:00.000Z' })]);
  });

  it('counts per debt: eight calls to one debtor about two debts in 7 days are no breach', () => {
    const log = new GlobalLog();
    const debtor = new Debtor(log, { jurisdiction: 'US-IL', timeZones: ['America/Chicago'], rulePack: 'reg-f', phone: '+13125550100' });
    const [first, second] = [debtor.account(), debtor.account()];
    for (let day = 1; day <= 4; day += 1) {
      debtor.allow({ accountId: first as string, intendedAt: chicago(day, '10:00:00'), operator: ana });
      debtor.allow({ accountId: second as string, intendedAt: chicago(day, '11:00:00'), operator: ana });
    }

    expect(frequencyCapReport(log.events, APRIL).breaches).toEqual([]);
  });

  it('finds a call within 7 × 24 h after a conversation about the debt, naming the conversation', () => {
    const april = compliantApril();
    const conversation = april.anaCalls[7] as string;
    const soon = april.illinois.allow({ accountId: april.accounts.illinois, intendedAt: chicago(15, '08:59:59.999'), operator: ana });

    const report = frequencyCapReport(april.events, APRIL);

    expect(report.breaches).toEqual([
      expect.objectContaining({
        rule: 'reg-f.post-conversation',
        contactId: soon,
        counted: null,
        limit: null,
        spanFrom: '2026-04-08T14:00:00.000Z',
        spanTo: '2026-04-15T14:00:00.000Z',
        contactIds: [conversation],
      }),
    ]);
  });

  it('finds a fourth connected call with a debtor in one local day, and a seventh unanswered call to one number', () => {
    const april = compliantApril();
    const fourth = april.china.allow({ accountId: april.accounts.china, intendedAt: shanghai(20, '17:00:00'), operator: wei });
    april.china.outcome(fourth, april.accounts.china, 'right-party-contact', shanghai(20, '17:04:00'), wei);
    const seventh = april.china.allow({ accountId: april.accounts.china, intendedAt: shanghai(21, '16:00:00'), operator: wei });
    april.china.outcome(seventh, april.accounts.china, 'busy', shanghai(21, '16:01:00'), wei);

    const report = frequencyCapReport(april.events, APRIL);

    expect(report.breaches).toEqual([
      expect.objectContaining({
        rule: 'cn.connected-calls',
        rulePack: 'cn-post-loan',
        debtorId: april.china.debtorId,
        contactId: fourth,
        counted: 4,
        limit: 3,
        timeZone: 'Asia/Shanghai',
        localDate: '2026-04-20',
        spanFrom: '2026-04-20T01:00:00.000Z',
        spanTo: '2026-04-20T09:00:00.000Z',
        targetKey: null,
      }),
      expect.objectContaining({
        rule: 'cn.unanswered-per-number',
        contactId: seventh,
        counted: 7,
        limit: 6,
        timeZone: 'Asia/Shanghai',
        localDate: '2026-04-21',
        targetKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    expect(report.breaches[1]?.contactIds).toHaveLength(7);
    expect(counts(report)).toEqual({ 'reg-f.call-frequency': 0, 'reg-f.post-conversation': 0, 'cn.connected-calls': 1, 'cn.unanswered-per-number': 1 });
  });

  it('judges the China day in the debtor\'s zone, not in UTC: three connected calls on 2 April and one at 07:30 on 3 April (2 April in UTC) are no breach', () => {
    const log = new GlobalLog();
    const debtor = new Debtor(log, { jurisdiction: 'CN', timeZones: ['Asia/Shanghai'], rulePack: 'cn-post-loan', phone: '+8613800138000' });
    const account = debtor.account();
    const operator = collector('collector-wei');
    for (const instant of [shanghai(2, '09:00:00'), shanghai(2, '13:00:00'), shanghai(2, '20:00:00'), shanghai(3, '07:30:00')]) {
      const id = debtor.allow({ accountId: account, intendedAt: instant, operator });
      debtor.outcome(id, account, 'right-party-contact', instant, operator);
    }

    expect(frequencyCapReport(log.events, APRIL).breaches).toEqual([]);
  });

  it('lists a China call judged in a zone the platform does not know as unverifiable for the daily caps', () => {
    const log = new GlobalLog();
    const debtor = new Debtor(log, { jurisdiction: 'CN', timeZones: ['Asia/Shanghai'], rulePack: 'cn-post-loan', phone: '+8613800138000' });
    const account = debtor.account();
    const call = debtor.allow({ accountId: account, intendedAt: shanghai(2, '10:00:00'), operator: wei, timeZones: ['Asia/Shanghai', 'Moon/Tranquility'] });

    const report = frequencyCapReport(log.events, APRIL);

    expect(report.breaches).toEqual([]);
    expect(report.unverifiable).toEqual([{ contactId: call, debtorId: debtor.debtorId, timeZone: 'Moon/Tranquility', intendedAtUtc: '2026-04-02T02:00:00.000Z' }]);
  });

  it('is the same bytes for the same events in any order', () => {
    const april = compliantApril();
    april.illinois.allow({ accountId: april.accounts.illinois, intendedAt: chicago(7, '18:00:00'), operator: ana });
    const once = frequencyCapCsv(frequencyCapReport(april.events, APRIL));

    expect(frequencyCapCsv(frequencyCapReport([...april.events].reverse(), APRIL))).toBe(once);
  });
});
