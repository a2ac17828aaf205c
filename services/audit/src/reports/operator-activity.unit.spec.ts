import { operatorActivityCsv, operatorActivityReport } from './index';
import { APRIL, compliantApril } from './testing/april';

describe('operator activity', () => {
  it('attributes every event of the month to its actor, and each waiver to the person who approved it', () => {
    const { events } = compliantApril();

    const report = operatorActivityReport(events, APRIL);

    expect(report.operators.map((o) => [o.actorId, o.roles, o.events])).toEqual([
      ['collector-ana', ['collector'], 29],
      ['collector-bob', ['collector'], 13],
      ['collector-wei', ['collector'], 28],
      ['lawyer-lee', ['legal'], 2],
      ['supervisor-sam', ['supervisor'], 6],
      ['system:legal-escalation', ['system'], 15],
    ]);
    const ana = report.operators[0];
    expect(ana).toMatchObject({
      contactsRequested: 15,
      contactsAllowed: 12,
      contactsBlocked: 3,
      outcomesRecorded: 9,
      promisesRecorded: 1,
      plansProposed: 1,
      plansApproved: 0,
      plansAccepted: 0,
      waiversApproved: 0,
      waived: [],
      freezesApproved: 0,
    });
    expect(ana?.eventsByType).toEqual([
      { type: 'accounts.BalanceAdjusted', count: 1 },
      { type: 'contact-attempts.AttemptOutcomeRecorded', count: 9 },
      { type: 'contact-attempts.ComplaintRecorded', count: 1 },
      { type: 'contact-attempts.ContactAllowed', count: 12 },
      { type: 'contact-attempts.ContactBlocked', count: 3 },
      { type: 'contact-attempts.ProhibitedLanguageDetected', count: 1 },
      { type: 'payment-plans.PlanProposed', count: 1 },
      { type: 'promises-to-pay.PromiseRecorded', count: 1 },
    ]);
    expect(report.operators[1]).toMatchObject({ contactsRequested: 6, contactsAllowed: 3, contactsBlocked: 3, outcomesRecorded: 3, promisesRecorded: 1 });
    expect(report.operators[2]).toMatchObject({ contactsRequested: 15, contactsAllowed: 11, contactsBlocked: 4, outcomesRecorded: 11, promisesRecorded: 0 });
    expect(report.operators[4]).toMatchObject({ waiversApproved: 2, waived: [{ currency: 'USD', minor: 4_700 }], contactsRequested: 0 });
    expect(report.operators[4]?.eventsByType).toEqual([
      { type: 'accounts.BalanceAdjusted', count: 1 },
      { type: 'contact-attempts.ComplaintResolved', count: 4 },
      { type: 'contact-attempts.ScriptRejected', count: 1 },
    ]);
  });

  it('keeps to the period by the time each event occurred', () => {
    const { events } = compliantApril();

    const report = operatorActivityReport(events, { from: '2026-04-20T00:00:00Z', to: '2026-04-21T00:00:00Z' });

    expect(report.operators.map((o) => [o.actorId, o.events])).toEqual([
      ['collector-wei', 9],
      ['supervisor-sam', 1],
    ]);
  });

  it('writes an operator row each, then events per type, the same bytes in any order', () => {
    const { events } = compliantApril();
    const csv = operatorActivityCsv(operatorActivityReport(events, APRIL));

    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'section,actor_id,roles,events,contacts_requested,contacts_allowed,contacts_blocked,outcomes_recorded,promises_recorded,plans_proposed,plans_approved,plans_accepted,waivers_approved,waived,freezes_approved,event_type,count',
    );
    expect(lines[1]).toBe('operator,collector-ana,collector,29,15,12,3,9,1,1,0,0,0,,0,,');
    expect(lines[5]).toBe('operator,supervisor-sam,supervisor,6,0,0,0,0,0,0,0,0,2,USD:4700,0,,');
    expect(lines[7]).toBe('event-type,collector-ana,,,,,,,,,,,,,,accounts.BalanceAdjusted,1');
    expect(operatorActivityCsv(operatorActivityReport([...events].reverse(), APRIL))).toBe(csv);
  });
});
