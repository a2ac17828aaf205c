/**
 * legal-escalation's pact with case-workflow: the LegalEscalationRequested that starts a handoff to legal. The
 * handoff saga correlates it by its case (`handoffSaga().correlate`) and reads it (`readEscalationRequested`,
 * domain/escalation-requested.ts) only from a case stream (`case-<accountId>`), decoding it through the case catalog,
 * which checks every field: the body is the whole event. What the handoff is started with — the case, the account,
 * the reasons and who asked — is pinned by format or type; the stream's category exactly.
 */
import { readEscalationRequested } from '@arrears/legal-escalation/src/handoff/domain/escalation-requested';
import { handoffSaga } from '@arrears/legal-escalation/src/handoff/handoff-saga';
import { MatchersV3 } from '@pact-foundation/pact';
import { consumerPact, eventHeaders, receivedEvent, uuid } from '../event-messages';

const { eachLike, like } = MatchersV3;

const pact = consumerPact('legal-escalation', 'case-workflow');

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const reason = '130 days past due with 2 broken promises';

describe('legal-escalation consumes case-workflow’s LegalEscalationRequested', () => {
  it('correlates it to the case’s handoff and reads the account, the reasons and who asked', () =>
    pact
      .addAsynchronousInteraction()
      .given('a case 120 days past due with one broken promise')
      .expectsToReceive('a LegalEscalationRequested', (message) =>
        message
          .withMetadata(eventHeaders({ type: 'LegalEscalationRequested', schemaVersion: 1, streamId: `case-${accountId}`, caseId: accountId, actorId: 'system:case-workflow' }))
          .withJSONContent({ caseId: uuid(accountId), accountId: uuid(accountId), reasons: eachLike(reason), requestedBy: like('system:case-workflow') }),
      )
      .executeTest(async (message) => {
        const event = receivedEvent(message);
        expect(handoffSaga().correlate(event)).toBe(accountId);
        expect(readEscalationRequested(event)).toEqual({ caseId: accountId, accountId, reasons: [reason], requestedBy: 'system:case-workflow' });
      }));
});
