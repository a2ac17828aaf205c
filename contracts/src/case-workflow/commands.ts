import { z } from 'zod';
import { defineCommand, type CommandOf } from '../catalog';
import { CalendarDateSchema } from '../money';
import { AssignmentReasonSchema, CaseProfileSchema } from './case';

const service = 'case-workflow' as const;
const collectorId = z.string().trim().min(1).max(200);
const teamId = z.string().regex(/^[a-z0-9][a-z0-9_]{0,49}$/, 'must be lowercase letters, digits and underscores').optional();
const specialties = z.array(CaseProfileSchema.shape.product).max(20);

export const RegisterCollector = defineCommand({
  service,
  type: 'RegisterCollector',
  description: 'Add a collector to the team (default team `main`): name, product specialties, capacity in open cases.',
  schema: z.object({ teamId, collectorId, name: z.string().trim().min(1).max(200), specialties, capacity: z.number().int().min(0).max(10_000) }).strict(),
});

export const UpdateCollector = defineCommand({
  service,
  type: 'UpdateCollector',
  description: "Change a collector's specialties or capacity; cases beyond a lowered capacity are reassigned.",
  schema: z.object({ teamId, collectorId, specialties, capacity: z.number().int().min(0).max(10_000) }).strict(),
});

export const SetCollectorAvailability = defineCommand({
  service,
  type: 'SetCollectorAvailability',
  description: "Mark a collector absent (their open cases are reassigned) or available again.",
  schema: z.object({ teamId, collectorId, available: z.boolean(), reason: z.string().trim().min(1).max(500), until: CalendarDateSchema.optional() }).strict(),
});

export const AssignCase = defineCommand({
  service,
  type: 'AssignCase',
  description: 'Choose a collector for a case by the documented score (sent by the case saga when a case opens).',
  schema: z.object({ teamId, caseId: z.uuid(), profile: CaseProfileSchema }).strict(),
});

export const ReassignCase = defineCommand({
  service,
  type: 'ReassignCase',
  description: 'Give a case to another collector: by a supervisor, or by the case saga when the case has stalled.',
  schema: z.object({ teamId, caseId: z.uuid(), reason: AssignmentReasonSchema.extract(['stalled', 'supervisor']), profile: CaseProfileSchema.optional(), toCollectorId: collectorId.optional() }).strict(),
});

export const ReleaseCase = defineCommand({
  service,
  type: 'ReleaseCase',
  description: "Take a closed case off its collector's load, counting its outcome (sent by the case saga when the case closes).",
  schema: z.object({ teamId, caseId: z.uuid(), outcome: z.enum(['success', 'failure', 'neutral']) }).strict(),
});

export const FlagWilfulDefault = defineCommand({
  service,
  type: 'FlagWilfulDefault',
  description: 'A supervisor records suspected wilful default on a case: a legal-escalation trigger.',
  schema: z.object({ accountId: z.uuid(), reason: z.string().trim().min(1).max(500) }).strict(),
});

export const CASE_COMMANDS = [FlagWilfulDefault] as const;
export const ROSTER_COMMANDS = [RegisterCollector, UpdateCollector, SetCollectorAvailability, AssignCase, ReassignCase, ReleaseCase] as const;
export type CaseCommand = CommandOf<(typeof CASE_COMMANDS)[number]>;
export type RosterCommand = CommandOf<(typeof ROSTER_COMMANDS)[number]>;
