import { ArrearsError, compareGlobalPositions, ErrorCode, EventEnvelopeSchema, IdSchema, InstantSchema, validationFailed, type EventEnvelope } from '@arrears/contracts';
import { canonicalBytes, sha256Hex } from './canonical-json';
import { packageItem, type BuiltPackage } from './evidence-package';
import { eventLine, manifestBytes, manifestEvent, packageIdOf, PACKAGE_FORMAT, type ItemName, type Manifest } from './manifest';
import type { PackageSigner } from './signer';
import { renderSummaryPdf } from './summary-pdf';
import { contactLogOf } from './views/contacts';
import { decodeHistory } from './views/decode';
import { flagsOf } from './views/flags';
import { promisesAndPlansOf } from './views/promises-and-plans';
import { statementOf } from './views/statement';

export interface BuildPackageInput {
  readonly caseId: string;
  readonly accountId: string;
  /** Why the case goes to legal, as the escalation request gave them. */
  readonly reasons: readonly string[];
  /** When escalation was requested: the package's only clock (the PDF's dates), so the same input gives the same package. */
  readonly requestedAt: string;
  /** The case's history (`gatherCase`); put in global order here whatever order it comes in. */
  readonly events: readonly EventEnvelope[];
  readonly signer: PackageSigner;
}

/**
 * Fixes a case's evidence: the complete history (`events.jsonl`), the views a lawyer and a court need (statement,
 * contacts, promises and plans, flags, a PDF summary), and a manifest listing every item and every event with its
 * SHA-256, signed with Ed25519. The package id is the SHA-256 of the manifest's bytes; the same input gives the
 * same bytes, so fixing the same evidence twice gives the same id. Pure but for the signature (deterministic too).
 */
export async function buildPackage(input: BuildPackageInput): Promise<BuiltPackage> {
  const { caseId, accountId, reasons, requestedAt } = checkInput(input);
  const events = inOrder(input.events);

  const history = Buffer.from(events.map((event) => `${eventLine(event)}\n`).join(''), 'utf8');
  const decoded = decodeHistory(events);
  const statement = statementOf(decoded.events, accountId);
  const contacts = contactLogOf(decoded.events);
  const promisesAndPlans = promisesAndPlansOf(decoded.events);
  const flags = flagsOf(decoded.events, accountId);
  const pdf = await renderSummaryPdf({
    caseId,
    accountId,
    reasons,
    requestedAt,
    keyId: input.signer.keyId,
    historySha256: sha256Hex(history),
    events,
    decoded,
    statement,
    contacts,
    promisesAndPlans,
    flags,
  });

  const contents: Record<ItemName, Buffer> = {
    'events.jsonl': history,
    'statement.json': canonicalBytes(statement),
    'contacts.json': canonicalBytes(contacts),
    'promises-and-plans.json': canonicalBytes(promisesAndPlans),
    'flags.json': canonicalBytes(flags),
    'summary.pdf': pdf,
  };
  const items = Object.entries(contents).map(([name, bytes]) => packageItem(name, bytes));
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    caseId,
    accountId,
    reasons,
    requestedAt,
    items: items.map(({ name, sha256, bytes }) => ({ name, sha256, bytes: bytes.length })),
    events: events.map(manifestEvent),
    keyId: input.signer.keyId,
  };
  const bytes = manifestBytes(manifest);
  return { packageId: packageIdOf(bytes), manifest, manifestBytes: bytes, signature: input.signer.sign(bytes), items };
}

function checkInput(input: BuildPackageInput): { caseId: string; accountId: string; reasons: string[]; requestedAt: string } {
  for (const field of ['caseId', 'accountId'] as const) {
    if (!IdSchema.safeParse(input[field]).success) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} must be a UUID, not ${JSON.stringify(input[field])}`, { field });
  }
  if (!InstantSchema.safeParse(input.requestedAt).success) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `requestedAt must be an ISO-8601 instant with an offset, not ${JSON.stringify(input.requestedAt)}`, { field: 'requestedAt' });
  }
  const reasons = input.reasons.map((reason) => reason.trim());
  if (reasons.length === 0 || reasons.some((reason) => reason === '')) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'A package needs at least one reason for escalation, none of them empty', { field: 'reasons' });
  }
  input.events.forEach((event, index) => {
    const parsed = EventEnvelopeSchema.safeParse(event);
    if (!parsed.success) throw validationFailed(parsed.error, `events[${index}]`);
  });
  return { caseId: input.caseId.toLowerCase(), accountId: input.accountId.toLowerCase(), reasons, requestedAt: input.requestedAt };
}

/** Global order, each event once; one id with two different contents is refused rather than silently picked. */
function inOrder(events: readonly EventEnvelope[]): EventEnvelope[] {
  const byId = new Map<string, EventEnvelope>();
  for (const event of events) {
    const known = byId.get(event.eventId);
    if (known !== undefined && eventLine(known) !== eventLine(event)) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Event ${event.eventId} is given twice with different contents`, { field: 'events' });
    }
    byId.set(event.eventId, event);
  }
  return [...byId.values()].sort((a, b) => compareGlobalPositions(a.globalPosition, b.globalPosition));
}
