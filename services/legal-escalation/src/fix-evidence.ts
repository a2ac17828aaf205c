import { accounts, ArrearsError, ErrorCode, EventCatalog, legalEscalation, type CommandEnvelope, type EventEnvelope } from '@arrears/contracts';
import { uuidV5, type EventStore } from '@arrears/event-store';
import type { SagaRuntime } from '@arrears/sagas';
import { buildPackage, gatherCase, type CaseIndex, type PackageSigner, type PackageStore } from './evidence';
import { holdsAmong } from './handoff/domain/holds';
import type { HandoffState } from './handoff/domain/handoff-state';
import { RECORD_EVIDENCE, type RecordEvidenceData } from './handoff/domain/react';

type FixEvidenceCommand = CommandEnvelope & Extract<legalEscalation.LegalCommand, { type: 'FixEvidence' }>;

const PLACEMENTS = new EventCatalog([accounts.AccountPlaced]);

/** Fixed for ever: the RecordEvidence a FixEvidence leads to has an id derived from it, so a retry repeats nothing. */
const RECORD_EVIDENCE_IDS = '9c4b2e17-6d3a-4f58-8b1e-0a7c5d2f4e39';

export interface FixEvidenceOptions {
  readonly store: EventStore;
  readonly index: CaseIndex;
  readonly packages: PackageStore;
  readonly signer: PackageSigner;
  readonly saga: SagaRuntime<HandoffState, legalEscalation.LegalEvent>;
  /** The instant the package counts as delivered (tests); default the real clock. */
  readonly clock?: () => Date;
}

/**
 * The handoff saga's `FixEvidence`: a hold on the account now refuses it (the saga records the refusal, naming the
 * holds); otherwise the case's history is gathered from every stream the case index knows, the package built,
 * signed and stored (content-addressed: a retry stores nothing new), and the saga told with `RecordEvidence`.
 *
 * The debtor's contact stream is read whatever the index says: the index is fed by a consumer that may lag (a
 * contact made a moment before the request, a long transaction holding the store's log back), and the contacts with
 * their compliance decisions are the evidence legal needs most. The case's own streams are read by name as well
 * (`gatherCase`); only the team's roster depends on the index alone.
 */
export class FixEvidenceHandler {
  constructor(private readonly options: FixEvidenceOptions) {}

  async handle(command: FixEvidenceCommand): Promise<{ packageId: string; events: number }> {
    const { store, index, packages, signer, saga } = this.options;
    const { accountId, handoff, reasons, requestedAt } = command.data;
    const account = await store.readStream(`account-${accountId}`);
    const standing = accounts.accountStanding(account);
    if (standing.status === 'unplaced') throw new ArrearsError(ErrorCode.NOT_FOUND, `Account ${accountId} has not been placed`, { field: 'data.accountId' });
    const holds = holdsAmong(standing.flags);
    if (holds.length > 0) {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `A hold applies to the account: ${holds.join(', ')}`, { field: 'data.accountId', details: { holds } });
    }
    const streams = new Set([...(await index.streamsOf(accountId)), ...debtorStreams(account)]);
    const events = await gatherCase(store, [...streams], accountId);
    const pkg = await buildPackage({ caseId: accountId, accountId, reasons, requestedAt, events, signer });
    await packages.put(pkg);
    const data: RecordEvidenceData = {
      accountId,
      handoff,
      packageId: pkg.packageId,
      items: pkg.items.map((item) => ({ name: item.name, sha256: item.sha256, bytes: item.bytes.length })),
      events: events.length,
      signature: pkg.signature,
      keyId: signer.keyId,
    };
    await saga.onCommand(accountId, {
      commandId: uuidV5(`RecordEvidence/${command.commandId}`, RECORD_EVIDENCE_IDS),
      type: RECORD_EVIDENCE,
      schemaVersion: 1,
      data: data as unknown as Record<string, unknown>,
      metadata: { correlationId: command.metadata.correlationId, causationId: command.commandId, caseId: accountId, actorId: 'system:legal-escalation', actorRole: 'system', now: (this.options.clock?.() ?? new Date()).toISOString() },
    });
    return { packageId: pkg.packageId, events: events.length };
  }
}

/** The debtor's contact stream, named by the account's placement: found without the case index. */
function debtorStreams(account: readonly EventEnvelope[]): string[] {
  const placed = account.find((event) => event.type === accounts.AccountPlaced.type);
  if (placed === undefined) return [];
  const { data } = PLACEMENTS.decode(placed) as Extract<accounts.AccountEvent, { type: 'AccountPlaced' }>;
  return [`contact-${data.debtor.debtorId}`];
}
