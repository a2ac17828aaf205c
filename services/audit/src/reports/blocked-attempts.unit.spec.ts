import { blockedAttemptsCsv, blockedAttemptsReport, DEFAULT_REPORT_CONFIG } from './index';
import { ana, APRIL, compliantApril } from './testing/april';

describe('blocked attempts by rule', () => {
  it('counts the month\'s blocked decisions per rule, a decision blocked by two rules counting for each, per pack and with examples', () => {
    const april = compliantApril();

    const report = blockedAttemptsReport(april.events, APRIL);

    expect(report.allowed).toBe(26);
    expect(report.blocked).toBe(10);
    expect(report.byRule).toEqual([
      { ruleId: 'reg-f.post-conversation', blocked: 2 },
      { ruleId: 'reg-f.quiet-hours', blocked: 2 },
      { ruleId: 'cn.connected-calls', blocked: 1 },
      { ruleId: 'cn.quiet-hours', blocked: 1 },
      { ruleId: 'cn.recording', blocked: 1 },
      { ruleId: 'cn.unanswered-per-number', blocked: 1 },
      { ruleId: 'language.prohibited', blocked: 1 },
      { ruleId: 'msg.opt-out-missing', blocked: 1 },
      { ruleId: 'pref.inconvenient-time', blocked: 1 },
      { ruleId: 'reg-f.call-frequency', blocked: 1 },
    ]);
    expect(report.byPack).toEqual([
      { rulePack: 'cn-post-loan', blocked: 4 },
      { rulePack: 'reg-f', blocked: 6 },
    ]);
    expect(report.byPackAndRule.filter((row) => row.rulePack === 'reg-f').map((row) => [row.ruleId, row.blocked])).toEqual([
      ['reg-f.post-conversation', 2],
      ['reg-f.quiet-hours', 2],
      ['language.prohibited', 1],
      ['msg.opt-out-missing', 1],
      ['pref.inconvenient-time', 1],
      ['reg-f.call-frequency', 1],
    ]);
    expect(report.examples.filter((example) => example.ruleId === 'reg-f.quiet-hours')).toEqual([
      expect.objectContaining({ accountId: april.accounts.illinois, operatorId: 'collector-ana', intendedAtUtc: '2026-04-03T02:30:00.000Z', nextAllowedAt: '2026-04-03T08:00:00-05:00' }),
      expect.objectContaining({ accountId: april.accounts.newYork, operatorId: 'collector-bob', intendedAtUtc: '2026-04-06T13:00:00.000Z', nextAllowedAt: null }),
    ]);
    expect(report.examples.find((example) => example.ruleId === 'reg-f.call-frequency')).toMatchObject({ counted: 7, limit: 7, channel: 'call' });
    expect(report.examples).toHaveLength(12);
  });

  it('keeps at most examplesPerRule examples, the earliest', () => {
    const { events } = compliantApril();

    const report = blockedAttemptsReport(events, APRIL, { ...DEFAULT_REPORT_CONFIG, examplesPerRule: 1 });

    expect(report.examples.map((example) => example.ruleId)).toEqual(report.byRule.map((row) => row.ruleId).sort());
    expect(report.examples.find((example) => example.ruleId === 'reg-f.quiet-hours')?.intendedAtUtc).toBe('2026-04-03T02:30:00.000Z');
  });

  it('writes sections in one RFC 4180 table, quoting messages with commas and quotes, the same bytes twice', () => {
    const april = compliantApril();
    april.illinois.block({
      accountId: april.accounts.illinois,
      intendedAt: '2026-04-27T10:00:00-05:00',
      operator: ana,
      reasons: [{ ruleId: 'pref.inconvenient-place', message: 'The debtor named "work" inconvenient, so this number cannot be called.' }],
    });
    const { events } = april;
    const report = blockedAttemptsReport(events, APRIL);

    const csv = blockedAttemptsCsv(report);

    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,rule_pack,rule_id,blocked,contact_id,account_id,debtor_id,operator_id,channel,intended_at_utc,counted,limit,next_allowed_at,message,event_id');
    expect(lines[1]).toBe('rule,,reg-f.post-conversation,2,,,,,,,,,,,');
    expect(lines).toContain('pack,cn-post-loan,,4,,,,,,,,,,,');
    expect(lines).toContain('pack,reg-f,,7,,,,,,,,,,,');
    expect(lines).toContain('pack-rule,reg-f,reg-f.quiet-hours,2,,,,,,,,,,,');
    expect(csv).toContain(',"The debtor named ""work"" inconvenient, so this number cannot be called.",');
    expect(csv).toContain(',7 calls about this debt in 7 days already: at most 7 in any 7 days.,');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(blockedAttemptsCsv(blockedAttemptsReport([...events].reverse(), APRIL))).toBe(csv);
  });

  it('keeps to the period by intended time', () => {
    const { events } = compliantApril();

    const report = blockedAttemptsReport(events, { from: '2026-04-20T00:00:00Z', to: '2026-04-23T00:00:00Z' });

    expect(report.byPack).toEqual([{ rulePack: 'cn-post-loan', blocked: 4 }]);
  });
});
