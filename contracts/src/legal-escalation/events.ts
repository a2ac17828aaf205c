import { z } from 'zod';
import { FlagSchema } from '../accounts/account';
import { defineEvent, type EventOf } from '../catalog';
import { InstantSchema } from '../envelope';
import { CalendarDateSchema } from '../money';
import { sagaEffectEvents } from '../sagas';

const service = 'legal-escalation' as const;
const caseId = z.uuid();
const person = z.string().min(1).max(200);
/** A package is named by the SHA-256 of its manifest: 64 lowercase hex digits. */
export const PackageIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the manifest as 64 lowercase hex digits');
export const LITIGATION_STATUSES = ['filed', 'hearing-set', 'judgment', 'settled', 'withdrawn'] as const;
export const LitigationStatusSchema = z.enum(LITIGATION_STATUSES);

/** The 48-hour handoff of one case to the legal department: stream `legal-<accountId>` (the case id). */
export const HandoffStarted = defineEvent({
  service,
  type: 'HandoffStarted',
  version: 1,
  description: 'Escalation was requested (by the case saga or a supervisor, with the reasons): the evidence is to be fixed and in legal’s hands within 48 hours.',
  schema: z
    .object({
      caseId,
      accountId: z.uuid(),
      /** Each handoff of a case is numbered: a case may go to legal again after a withdrawn action. */
      handoff: z.number().int().min(1),
      reasons: z.array(z.string().min(1).max(300)).min(1),
      requestedBy: person,
      requestedAt: InstantSchema,
      /** When reminders go out and when the handoff is overdue without acknowledgement. */
      remindAt: z.array(InstantSchema).length(2),
      overdueAt: InstantSchema,
    })
    .strict(),
});

export const HandoffRefused = defineEvent({
  service,
  type: 'HandoffRefused',
  version: 1,
  description: 'The handoff was refused: a hold applies (dispute pending, bankruptcy, deceased, breathing space, time-barred debt), or the case cannot be handed over — the reason says which.',
  schema: z.object({ caseId, handoff: z.number().int().min(1), reason: z.string().min(1).max(500), holds: z.array(FlagSchema) }).strict(),
});

export const EvidenceFixed = defineEvent({
  service,
  type: 'EvidenceFixed',
  version: 1,
  description: 'The evidence package was written and stored, content-addressed: its manifest lists every item and every event with its SHA-256, signed with Ed25519.',
  schema: z
    .object({
      caseId,
      handoff: z.number().int().min(1),
      packageId: PackageIdSchema,
      items: z.array(z.object({ name: z.string().min(1).max(100), sha256: PackageIdSchema, bytes: z.number().int().min(0) }).strict()).min(1),
      events: z.number().int().min(0),
      /** The Ed25519 signature over the manifest's bytes, base64, and the id of the key that made it. */
      signature: z.string().min(1).max(200),
      keyId: z.string().min(1).max(100),
    })
    .strict(),
});

export const LegalPackageDelivered = defineEvent({
  service,
  type: 'LegalPackageDelivered',
  version: 1,
  description: 'The package is in legal’s hands: published on the legal department’s subject, downloadable by the legal role.',
  schema: z.object({ caseId, accountId: z.uuid(), handoff: z.number().int().min(1), packageId: PackageIdSchema, hoursSinceRequest: z.number().min(0), download: z.string().min(1).max(300) }).strict(),
});

export const HandoffReminderSent = defineEvent({
  service,
  type: 'HandoffReminderSent',
  version: 1,
  description: 'No acknowledgement yet, 24 or 36 hours after the request: legal is reminded.',
  schema: z.object({ caseId, handoff: z.number().int().min(1), hoursSinceRequest: z.number().int().min(1), delivered: z.boolean() }).strict(),
});

export const LegalHandoffOverdue = defineEvent({
  service,
  type: 'LegalHandoffOverdue',
  version: 1,
  description: '48 hours after the request without acknowledgement: the supervisor and the legal lead are alerted.',
  schema: z.object({ caseId, handoff: z.number().int().min(1), delivered: z.boolean(), alerted: z.array(z.enum(['supervisor', 'legal-lead'])).min(1) }).strict(),
});

export const HandoffAcknowledged = defineEvent({
  service,
  type: 'HandoffAcknowledged',
  version: 1,
  description: 'Legal acknowledged receipt of the package.',
  schema: z.object({ caseId, handoff: z.number().int().min(1), packageId: PackageIdSchema, acknowledgedBy: person, hoursSinceRequest: z.number().min(0) }).strict(),
});

export const LitigationStatusReported = defineEvent({
  service,
  type: 'LitigationStatusReported',
  version: 1,
  description: 'Legal reported where the litigation stands: filed, hearing set, judgment, settled, withdrawn.',
  schema: z
    .object({ caseId, handoff: z.number().int().min(1), status: LitigationStatusSchema, on: CalendarDateSchema, reportedBy: person, hearingDate: CalendarDateSchema.optional(), note: z.string().max(1_000).optional() })
    .strict(),
});

export const LEGAL_EVENTS = [HandoffStarted, HandoffRefused, EvidenceFixed, LegalPackageDelivered, HandoffReminderSent, LegalHandoffOverdue, HandoffAcknowledged, LitigationStatusReported, ...sagaEffectEvents(service)] as const;
export type LegalEvent = EventOf<(typeof LEGAL_EVENTS)[number]>;
