/**
 * legal-escalation verifies every consumer's pact with it against the events its handoff saga really decides: the
 * service's SagaRuntime with `handoffSaga`, over an in-memory store (../saga-provider.ts), fed what the service
 * feeds it — case-workflow's LegalEscalationRequested, the refusal of the FixEvidence the saga sent, the FixEvidence
 * handler's RecordEvidence, and legal's commands as the command catalog parses them; the saga's event is read back
 * and published as the relay publishes it. A change to the handoff rules that breaks a consumer fails here.
 */
import { randomUUID } from 'node:crypto';
import { caseWorkflow, CommandCatalog, ErrorCode, EventCatalog, legalEscalation, type EventEnvelope } from '@arrears/contracts';
import { RECORD_EVIDENCE, type RecordEvidenceData } from '@arrears/legal-escalation/src/handoff/domain/react';
import { handoffSaga } from '@arrears/legal-escalation/src/handoff/handoff-saga';
import { storedEvent } from '@arrears/testing';
import { publishedMessage, verifyProvider } from '../event-messages';
import { SagaProvider } from '../saga-provider';

const CASES = new EventCatalog(caseWorkflow.CASE_EVENTS);
const COMMANDS = new CommandCatalog(legalEscalation.LEGAL_COMMANDS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const handoffStream = `legal-${accountId}`;
const PACKAGE_ID = 'a'.repeat(64);
const REQUESTED_AT = '2026-12-09T00:00:05.000Z';

let provider = new SagaProvider(handoffSaga());

/** Handoff 1: case-workflow asked at REQUESTED_AT; the saga set its clock and sent FixEvidence to its own service. */
async function awaitingEvidence(): Promise<void> {
  provider = new SagaProvider(handoffSaga());
  const requested = CASES.encode({
    type: 'LegalEscalationRequested',
    data: { caseId: accountId, accountId, reasons: ['130 days past due with 2 broken promises'], requestedBy: 'system:case-workflow' },
  });
  await provider.receive(`case-${accountId}`, storedEvent(requested, accountId, { occurredAt: REQUESTED_AT, actorId: 'system:case-workflow' }));
}

/** The FixEvidence the saga issued for handoff 1, as it stored it (and `carryOut` would send it). */
const fixEvidenceIssued = (): Promise<EventEnvelope> => provider.ownEvent(handoffStream, 'SagaCommandIssued', (data) => data['command'] === 'FixEvidence');

/** What the FixEvidence handler tells the saga once the package is stored (services/legal-escalation/src/fix-evidence.ts). */
async function recordEvidence(now: string) {
  const fix = await fixEvidenceIssued();
  const data: RecordEvidenceData = {
    accountId,
    handoff: 1,
    packageId: PACKAGE_ID,
    items: [
      { name: 'manifest.json', sha256: 'c'.repeat(64), bytes: 2_048 },
      { name: 'summary.pdf', sha256: 'd'.repeat(64), bytes: 81_920 },
    ],
    events: 42,
    signature: 'c2lnbmF0dXJl',
    keyId: 'legal-2026-1',
  };
  return provider.runtime.onCommand(accountId, {
    commandId: randomUUID(),
    type: RECORD_EVIDENCE,
    schemaVersion: 1,
    data: data as unknown as Record<string, unknown>,
    metadata: { correlationId: fix.metadata.correlationId, causationId: String(fix.data['commandId']), caseId: accountId, actorId: 'system:legal-escalation', actorRole: 'system', now },
  });
}

/** A command from the legal department, parsed by the service's command catalog as it arrives over NATS. */
function fromLegal(type: 'AcknowledgeHandoff' | 'ReportLitigationStatus', data: Record<string, unknown>, now: string) {
  const command = COMMANDS.parse({
    commandId: randomUUID(),
    type,
    schemaVersion: 1,
    data: { accountId, ...data },
    metadata: { correlationId: randomUUID(), caseId: accountId, actorId: 'legal-officer-3', actorRole: 'legal', now },
  });
  return provider.runtime.onCommand(accountId, command);
}

/**
 * A supervisor's RequestLegalEscalation, parsed by the command catalog, with the account's flags as the service's
 * handler reads them from the account's stream (legal.module.ts): none.
 */
function fromSupervisor(reason: string, now: string) {
  const command = COMMANDS.parse({
    commandId: randomUUID(),
    type: 'RequestLegalEscalation',
    schemaVersion: 1,
    data: { accountId, reason },
    metadata: { correlationId: randomUUID(), caseId: accountId, actorId: 'supervisor-2', actorRole: 'supervisor', now },
  });
  return provider.runtime.onCommand(accountId, { ...command, data: { ...command.data, holds: [] } });
}

describe('legal-escalation, as a message provider', () => {
  it('publishes what each consumer’s pact expects', () =>
    verifyProvider({
      provider: 'legal-escalation',
      consumers: ['case-workflow'],
      stateHandlers: {
        'a handoff awaiting its evidence': awaitingEvidence,
        'a case a supervisor sends to legal': async () => {
          provider = new SagaProvider(handoffSaga());
        },
        // The package delivered two hours after the request, acknowledged by legal three hours later.
        'a handoff acknowledged by legal': async () => {
          await awaitingEvidence();
          await recordEvidence('2026-12-09T02:00:05.000Z');
          await fromLegal('AcknowledgeHandoff', { packageId: PACKAGE_ID }, '2026-12-09T05:00:05.000Z');
        },
      },
      messageProviders: {
        // The FixEvidence handler found a dispute flag on the account and refused: the refusal as the runtime's
        // carryOut records it — at the issued command's time, correlated to it and caused by it.
        'a HandoffRefused': async () => {
          const fix = await fixEvidenceIssued();
          const commandId = String(fix.data['commandId']);
          const refusal = { commandId, service: 'legal-escalation', command: 'FixEvidence', code: ErrorCode.STATE_CONFLICT, message: 'A hold applies to the account: dispute' };
          const outcome = await provider.runtime.decide(accountId, { kind: 'refusal', id: commandId, at: fix.occurredAt, refusal }, fix.metadata.correlationId, fix.eventId);
          return publishedMessage(provider.store, outcome, 'HandoffRefused');
        },
        'a HandoffStarted': async () => publishedMessage(provider.store, await fromSupervisor('The debtor is moving assets abroad', '2026-12-09T00:00:05.000Z'), 'HandoffStarted'),
        'a LitigationStatusReported': async () => publishedMessage(provider.store, await fromLegal('ReportLitigationStatus', { status: 'filed' }, '2026-12-10T11:00:00.000Z'), 'LitigationStatusReported'),
      },
    }));
});
