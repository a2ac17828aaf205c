/**
 * case-workflow's pact with legal-escalation: what becomes of a case handed to legal (signals.ts → readEvent) — the
 * handoff started (a supervisor's direct request closes the case as handed to legal, with who asked and why), the
 * handoff refused (a hold found when the evidence was to be fixed: the case goes back to pressure) and the
 * litigation's status as legal reports it. The handoff saga's stream is the case's (`legal-<accountId>`), and the
 * case is the body's `caseId`. Each body is the whole event, because readEvent decodes it through the legal catalog,
 * which checks every field; what the saga reads — the case, the reasons and who asked, the refusal's reason, the status and who reported it —
 * is pinned by format, enum or type, the rest by type.
 */
import { legalEscalation } from '@arrears/contracts';
import { MatchersV3 } from '@pact-foundation/pact';
import { calendarDate, consumerPact, eventHeaders, instant, oneOf, uuid } from '../event-messages';
import { readsAs, signal } from './readings';

const { eachLike, integer, like } = MatchersV3;

const pact = consumerPact('case-workflow', 'legal-escalation');

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const headers = (type: legalEscalation.LegalEvent['type'], actorId: string) =>
  eventHeaders({ type, schemaVersion: 1, streamId: `legal-${accountId}`, caseId: accountId, actorId });

describe('case-workflow reads legal-escalation’s events into the case', () => {
  it('HandoffStarted: a supervisor sent the case to legal, with the reason — the case is handed to legal', () =>
    readsAs(
      pact,
      {
        state: 'a case a supervisor sends to legal',
        description: 'a HandoffStarted',
        headers: headers('HandoffStarted', 'supervisor-2'),
        body: {
          caseId: uuid(accountId),
          accountId: uuid(accountId),
          handoff: integer(1),
          reasons: eachLike('The debtor is moving assets abroad'),
          requestedBy: like('supervisor-2'),
          requestedAt: instant('2026-12-09T00:00:05.000Z'),
          remindAt: [instant('2026-12-10T00:00:05.000Z'), instant('2026-12-10T12:00:05.000Z')],
          overdueAt: instant('2026-12-11T00:00:05.000Z'),
        },
      },
      signal(accountId, 'legal-handoff-started', { note: 'The debtor is moving assets abroad', by: 'supervisor-2' }),
    ));

  it('HandoffRefused: the reason legal gave, as the case goes back to pressure', () =>
    readsAs(
      pact,
      {
        state: 'a handoff awaiting its evidence',
        description: 'a HandoffRefused',
        headers: headers('HandoffRefused', 'system:legal-escalation'),
        body: { caseId: uuid(accountId), handoff: integer(1), reason: like('A hold applies to the account: dispute'), holds: like([]) },
      },
      signal(accountId, 'legal-handoff-refused', { note: 'A hold applies to the account: dispute' }),
    ));

  it('LitigationStatusReported: where the litigation stands, and who in legal said so', () =>
    readsAs(
      pact,
      {
        state: 'a handoff acknowledged by legal',
        description: 'a LitigationStatusReported',
        headers: headers('LitigationStatusReported', 'legal-officer-3'),
        body: { caseId: uuid(accountId), handoff: integer(1), status: oneOf(legalEscalation.LITIGATION_STATUSES, 'filed'), on: calendarDate('2026-12-10'), reportedBy: like('legal-officer-3') },
      },
      signal(accountId, 'litigation-status', { note: 'filed', by: 'legal-officer-3' }),
    ));
});
