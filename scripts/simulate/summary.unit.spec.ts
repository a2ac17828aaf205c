import { Observations } from './observations';
import { generatePortfolio, totalPlaced, type SimAccount } from './portfolio';
import { Random } from './random';
import { checkInvariants, formatSummary, summarize, type AccountRow, type HandoffRow, type PlatformFacts } from './summary';

const portfolio = generatePortfolio(4, 'US', new Random('summary-test'));
const [a, b, c, d] = portfolio as [SimAccount, SimAccount, SimAccount, SimAccount];

function observed(): Observations {
  const seen = new Observations();
  for (const account of portfolio) seen.placed.set(account.accountId, totalPlaced(account));
  seen.paid.set(a.accountId, 10_000);
  seen.paid.set(b.accountId, totalPlaced(b));
  seen.paymentsAccepted = 3;
  seen.contacts.requested = 12;
  seen.contacts.allowed = 10;
  seen.contacts.blocked = 2;
  for (const [outcome, n] of Object.entries({ 'no-answer': 4, voicemail: 2, 'right-party-contact': 1, 'promise-offered': 2, refused: 1 })) seen.callOutcomes.set(outcome, n);
  seen.promisesRecorded = 2;
  return seen;
}

const row = (account: SimAccount, paid: number, extra: Partial<AccountRow> = {}): AccountRow => ({
  accountId: account.accountId,
  total: totalPlaced(account) - paid,
  credit: 0,
  agingBucket: '90+',
  riskTier: 'medium',
  status: 'open',
  closeReason: null,
  ...extra,
});

const handoff = (overrides: Partial<HandoffRow>): HandoffRow => ({
  caseId: c.accountId,
  handoff: 1,
  status: 'delivered',
  requestedAtUtc: '2026-03-01T10:00:00.000Z',
  deliveryHours: 0.5,
  acknowledgementHours: null,
  overdue: false,
  overdueRecorded: false,
  ...overrides,
});

function facts(overrides: Partial<PlatformFacts> = {}): PlatformFacts {
  return {
    accounts: [row(a, 10_000), row(b, totalPlaced(b), { status: 'closed', closeReason: 'paid-in-full' }), row(c, 0), row(d, 0)],
    stageCounts: { contact: 2, pressure: 1, negotiate: 0, close: 1 },
    promises: { made: 2, kept: 1, broken: 1, open: 0, cancelled: 0 },
    legal: { deadlineHours: 48, periodTo: '2026-03-10T00:00:00.000Z', handoffs: [handoff({})] },
    quietHours: { contactsInQuietHours: 0, timeOfDay: 10 },
    frequencyCaps: { calls: 10, byRule: [{ rule: 'reg-f.call-frequency', breaches: 0 }, { rule: 'reg-f.post-conversation', breaches: 0 }] },
    blocked: { allowed: 10, blocked: 2, byRule: [{ ruleId: 'reg-f.quiet-hours', blocked: 2 }] },
    ledger: { ok: true, problemCount: 0, behind: 0, entriesChecked: 500, storeEventsChecked: 500, firstProblem: null },
    ...overrides,
  };
}

const verdicts = (platform: PlatformFacts, seen = observed()) => Object.fromEntries(checkInvariants(portfolio, seen, platform).map((i) => [i.name, i.ok]));

describe('the invariants of a run', () => {
  it('all hold for a run whose platform agrees with what the simulator saw', () => {
    expect(verdicts(facts())).toEqual({ 'no-compliance-breach': true, 'legal-handoffs-on-time': true, 'balances-reconcile': true, 'audit-ledger-complete': true });
  });

  it('a contact in quiet hours or a frequency-cap breach is a breach', () => {
    expect(verdicts(facts({ quietHours: { contactsInQuietHours: 1, timeOfDay: 10 } }))['no-compliance-breach']).toBe(false);
    expect(verdicts(facts({ frequencyCaps: { calls: 10, byRule: [{ rule: 'reg-f.call-frequency', breaches: 1 }] } }))['no-compliance-breach']).toBe(false);
    expect(verdicts(facts({ quietHours: null }))['no-compliance-breach']).toBe(false);
  });

  it('a handoff delivered after 48 hours passes only when the saga reported it overdue; a young one may still be on its way', () => {
    const legal = (rows: HandoffRow[]) => facts({ legal: { deadlineHours: 48, periodTo: '2026-03-10T00:00:00.000Z', handoffs: rows } });
    expect(verdicts(legal([handoff({ deliveryHours: 48 })]))['legal-handoffs-on-time']).toBe(true);
    expect(verdicts(legal([handoff({ deliveryHours: 49 })]))['legal-handoffs-on-time']).toBe(false);
    expect(verdicts(legal([handoff({ deliveryHours: 49, overdue: true, overdueRecorded: true })]))['legal-handoffs-on-time']).toBe(true);
    expect(verdicts(legal([handoff({ deliveryHours: null, status: 'started' })]))['legal-handoffs-on-time']).toBe(false);
    expect(verdicts(legal([handoff({ deliveryHours: null, status: 'started', requestedAtUtc: '2026-03-09T00:00:00.000Z' })]))['legal-handoffs-on-time']).toBe(true);
    expect(verdicts(legal([handoff({ deliveryHours: null, status: 'refused' })]))['legal-handoffs-on-time']).toBe(true);
  });

  it('a balance one minor unit off, a missing row or an unanswered payment fails the reconciliation', () => {
    const [first, ...rest] = facts().accounts!;
    expect(verdicts(facts({ accounts: [{ ...first!, total: first!.total - 1 }, ...rest] }))['balances-reconcile']).toBe(false);
    expect(verdicts(facts({ accounts: rest }))['balances-reconcile']).toBe(false);
    const unanswered = observed();
    unanswered.uncertainPayments.set(c.accountId, 500);
    expect(verdicts(facts(), unanswered)['balances-reconcile']).toBe(false);
    // Paid beyond the balance: the rest is credit, and total − credit still reconciles.
    const over = observed();
    over.paid.set(d.accountId, totalPlaced(d) + 700);
    expect(verdicts(facts({ accounts: [...facts().accounts!.slice(0, 3), row(d, totalPlaced(d), { credit: 700 })] }), over)['balances-reconcile']).toBe(true);
  });

  it('a ledger problem, or events stored by the end of the run and never recorded, fail the audit invariant', () => {
    const ledger = facts().ledger!;
    expect(verdicts(facts({ ledger: { ...ledger, ok: false, problemCount: 1, firstProblem: { kind: 'modified', seq: 7 } } }))['audit-ledger-complete']).toBe(false);
    expect(verdicts(facts({ ledger: { ...ledger, behind: 3 } }))['audit-ledger-complete']).toBe(false);
    expect(verdicts(facts({ ledger: null }))['audit-ledger-complete']).toBe(false);
  });
});

describe('the summary of a run', () => {
  const run = { accounts: 4, days: 10, speed: 3600, jurisdiction: 'US' as const, seed: '1', collectors: 2, simulatedFrom: '2026-03-01T00:00:00.000Z', simulatedTo: '2026-03-11T00:00:00.000Z', realSeconds: 240, missingRoutes: [], endedEarly: false };
  const summary = summarize(run, portfolio, observed(), facts());

  it('has the rates a collections department reads', () => {
    const placed = portfolio.reduce((sum, account) => sum + totalPlaced(account), 0);
    expect(summary.recovery).toMatchObject({ collected: 10_000 + totalPlaced(b), placed });
    expect(summary.recovery.rate).toBeCloseTo((10_000 + totalPlaced(b)) / placed, 3);
    expect(summary.contacts).toMatchObject({ rightPartyContacts: 4, rightPartyContactRate: 0.4 });
    expect(summary.promises).toMatchObject({ recorded: 2, promiseRate: 0.5, kept: 1, broken: 1, keptRate: 0.5 });
    expect(summary.cure).toMatchObject({ cured: 1, rate: 0.25, closedBy: { 'paid-in-full': 1 } });
    expect(summary.stages).toEqual({ contact: 2, pressure: 1, negotiate: 0, close: 1 });
    expect(summary.legal).toMatchObject({ handoffs: 1, delivered: 1, deliveredWithin48h: 1, overdue: 0, deliveryHours: { median: 0.5, p90: 0.5, max: 0.5 } });
    expect(summary.compliance).toEqual({ blocksByRule: { 'reg-f.quiet-hours': 2 }, quietHourContacts: 0, frequencyBreaches: { 'reg-f.call-frequency': 0, 'reg-f.post-conversation': 0 } });
    expect(summary.ok).toBe(true);
  });

  it('rolls an account that ends in a later bucket than it was placed in', () => {
    const rolled = Object.values(summary.roll).reduce((sum, r) => sum + r.rolled, 0);
    expect(rolled).toBe(portfolio.filter((account) => account.daysPastDue <= 90).length);
  });

  it('reads as a table, the invariants last', () => {
    const text = formatSummary(summary);
    expect(text).toMatch(/^Simulated 10 days/);
    expect(text).toMatch(/RPC rate\s+40\.0 %/);
    expect(text).toMatch(/Kept rate\s+50\.0 %/);
    expect(text).toMatch(/PASS {2}balances-reconcile/);
    expect(text.trim().split('\n').at(-1)).toBe('Every invariant holds.');
    expect(formatSummary({ ...summary, run: { ...run, endedEarly: true, simulatedTo: '2026-03-05T12:00:00.000Z' } })).toMatch(/^Simulated 4\.5 of 10 days \(ended early\)/);
  });
});
