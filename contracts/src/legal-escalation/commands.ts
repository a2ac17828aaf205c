import { z } from 'zod';
import { defineCommand, type CommandOf } from '../catalog';
import { CalendarDateSchema } from '../money';
import { LitigationStatusSchema, PackageIdSchema } from './events';

const service = 'legal-escalation' as const;
const accountId = z.uuid();

export const RequestLegalEscalation = defineCommand({
  service,
  type: 'RequestLegalEscalation',
  description: 'A supervisor sends a case to legal directly, with the reason (the case saga asks by its LegalEscalationRequested).',
  schema: z.object({ accountId, reason: z.string().trim().min(1).max(300) }).strict(),
});

export const FixEvidence = defineCommand({
  service,
  type: 'FixEvidence',
  description: 'Gather the case’s history across every service and write the signed, content-addressed package (sent by the handoff saga itself).',
  schema: z.object({ accountId, handoff: z.number().int().min(1), reasons: z.array(z.string().min(1).max(300)).min(1), requestedAt: z.iso.datetime({ offset: true }) }).strict(),
});

export const AcknowledgeHandoff = defineCommand({
  service,
  type: 'AcknowledgeHandoff',
  description: 'Legal acknowledges receipt of the case’s package.',
  schema: z.object({ accountId, packageId: PackageIdSchema }).strict(),
});

export const ReportLitigationStatus = defineCommand({
  service,
  type: 'ReportLitigationStatus',
  description: 'Legal reports the litigation’s status; it flows back to the case.',
  schema: z.object({ accountId, status: LitigationStatusSchema, hearingDate: CalendarDateSchema.optional(), note: z.string().trim().max(1_000).optional() }).strict(),
});

export const VerifyPackage = defineCommand({
  service,
  type: 'VerifyPackage',
  description: 'Re-check a package: its signature, every item’s hash, and its events against the event store’s current history; every difference named.',
  schema: z.object({ packageId: PackageIdSchema }).strict(),
});

export const LEGAL_COMMANDS = [RequestLegalEscalation, FixEvidence, AcknowledgeHandoff, ReportLitigationStatus, VerifyPackage] as const;
export type LegalCommand = CommandOf<(typeof LEGAL_COMMANDS)[number]>;
