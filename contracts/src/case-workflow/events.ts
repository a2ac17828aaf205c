import { z } from 'zod';
import { defineEvent, type EventOf } from '../catalog';
import { InstantSchema } from '../envelope';
import { CalendarDateSchema } from '../money';
import { sagaEffectEvents } from '../sagas';
import { AssignmentReasonSchema, CaseCloseReasonSchema, CaseFlagSchema, CaseProfileSchema, ChecklistItemSchema, ScoreFactorSchema, SignalSchema, StageSchema } from './case';

const service = 'case-workflow' as const;
const caseId = z.uuid();
const collectorId = z.string().min(1).max(200);

// ── The case saga: stream `case-<accountId>` ─────────────────────────────────────────────────────────────────

export const CaseOpened = defineEvent({
  service,
  type: 'CaseOpened',
  version: 1,
  description: 'An account was placed: its case is opened with the profile assignment and the stage rules read.',
  schema: z.object({ caseId, accountId: z.uuid(), creditorId: z.string().min(1).max(100), dueDate: CalendarDateSchema, profile: CaseProfileSchema }).strict(),
});

export const CaseSignalRecorded = defineEvent({
  service,
  type: 'CaseSignalRecorded',
  version: 1,
  description: 'Something another service published that the case saga acts on, recorded with the event it came from.',
  schema: z
    .object({
      caseId,
      signal: SignalSchema,
      sourceEventId: z.uuid(),
      sourceType: z.string().min(1).max(100),
      at: InstantSchema,
      /** What the signal carries that the rules read: the new bucket or tier, the flag, the balance after a payment, the collector assigned… */
      detail: z
        .object({
          bucket: CaseProfileSchema.shape.bucket.optional(),
          tier: CaseProfileSchema.shape.tier.optional(),
          flag: CaseFlagSchema.optional(),
          balance: z.number().int().min(0).optional(),
          collectorId: collectorId.optional(),
          promiseId: z.uuid().optional(),
          planId: z.uuid().optional(),
          closeReason: z.string().min(1).max(50).optional(),
          note: z.string().max(500).optional(),
          /** Who, when a person did it (the supervisor who flagged wilful default). */
          by: z.string().min(1).max(200).optional(),
        })
        .strict(),
    })
    .strict(),
});

export const StageEntered = defineEvent({
  service,
  type: 'StageEntered',
  version: 1,
  description: 'The case moved to a stage, with the reason and the checklist it now has to meet, each item with its deadline.',
  schema: z
    .object({
      caseId,
      stage: StageSchema,
      from: StageSchema.optional(),
      /** The stage entries of this case so far, this one included: timers name the entry they guard. */
      entry: z.number().int().min(1),
      reason: z.string().min(1).max(500),
      checklist: z.array(z.object({ item: ChecklistItemSchema, dueAt: InstantSchema.optional() }).strict()),
      closeReason: CaseCloseReasonSchema.optional(),
    })
    .strict(),
});

export const ChecklistItemDone = defineEvent({
  service,
  type: 'ChecklistItemDone',
  version: 1,
  description: 'A checklist item of the current stage was met, by the signal named.',
  schema: z.object({ caseId, stage: StageSchema, entry: z.number().int().min(1), item: ChecklistItemSchema, by: SignalSchema, at: InstantSchema }).strict(),
});

export const ChecklistDeadlineSet = defineEvent({
  service,
  type: 'ChecklistDeadlineSet',
  version: 1,
  description: 'A checklist item got its deadline later than the stage began (the first attempt is due a day after assignment).',
  schema: z.object({ caseId, stage: StageSchema, entry: z.number().int().min(1), item: ChecklistItemSchema, dueAt: InstantSchema }).strict(),
});

export const DeadlineMissed = defineEvent({
  service,
  type: 'DeadlineMissed',
  version: 1,
  description: "A checklist item's deadline passed unmet: the reason, and the supervisor (and the collector, if assigned) alerted.",
  schema: z
    .object({
      caseId,
      stage: StageSchema,
      entry: z.number().int().min(1),
      item: ChecklistItemSchema,
      dueAt: InstantSchema,
      reason: z.string().min(1).max(500),
      collectorId: collectorId.optional(),
      alerted: z.array(z.enum(['supervisor', 'collector'])).min(1),
    })
    .strict(),
});

export const LegalEscalationRequested = defineEvent({
  service,
  type: 'LegalEscalationRequested',
  version: 1,
  description: 'The case is to go to legal: which configured triggers hold (or the supervisor who asked), and that no hold applies.',
  schema: z.object({ caseId, accountId: z.uuid(), reasons: z.array(z.string().min(1).max(300)).min(1), requestedBy: z.string().min(1).max(200) }).strict(),
});

export const LegalEscalationHeld = defineEvent({
  service,
  type: 'LegalEscalationHeld',
  version: 1,
  description: 'Legal escalation triggers hold, but a hold applies (dispute, bankruptcy, deceased, breathing space, time-barred debt): not escalated, the supervisor alerted.',
  schema: z.object({ caseId, reasons: z.array(z.string().min(1).max(300)).min(1), holds: z.array(CaseFlagSchema).min(1) }).strict(),
});

// ── The roster: stream `roster-<teamId>` ─────────────────────────────────────────────────────────────────────

const specialties = z.array(CaseProfileSchema.shape.product).max(20);

export const CollectorRegistered = defineEvent({
  service,
  type: 'CollectorRegistered',
  version: 1,
  description: 'A collector joined the team: the product types they specialise in and how many open cases they can carry.',
  schema: z.object({ collectorId, name: z.string().min(1).max(200), specialties, capacity: z.number().int().min(0).max(10_000) }).strict(),
});

export const CollectorUpdated = defineEvent({
  service,
  type: 'CollectorUpdated',
  version: 1,
  description: "A collector's specialties or capacity changed.",
  schema: z.object({ collectorId, specialties, capacity: z.number().int().min(0).max(10_000) }).strict(),
});

export const CollectorAvailabilityChanged = defineEvent({
  service,
  type: 'CollectorAvailabilityChanged',
  version: 1,
  description: 'A collector became absent (leave, sickness) or available again.',
  schema: z.object({ collectorId, available: z.boolean(), reason: z.string().min(1).max(500), until: CalendarDateSchema.optional() }).strict(),
});

export const CaseAssigned = defineEvent({
  service,
  type: 'CaseAssigned',
  version: 1,
  description: 'A case went to a collector: the score of every candidate factor that chose them, and why it was (re)assigned.',
  schema: z
    .object({
      caseId,
      collectorId,
      previousCollectorId: collectorId.optional(),
      reason: AssignmentReasonSchema,
      /** The case as it was scored: an auditor can recompute the score from the event alone. */
      profile: CaseProfileSchema,
      score: z.number(),
      factors: z.array(ScoreFactorSchema).min(1),
      /** The runners-up, best first, with their scores: why not them. */
      alternatives: z.array(z.object({ collectorId, score: z.number() }).strict()).max(5),
    })
    .strict(),
});

export const CaseUnassigned = defineEvent({
  service,
  type: 'CaseUnassigned',
  version: 1,
  description: 'No collector could take the case (none available with spare capacity): it waits in the supervisor’s queue.',
  schema: z.object({ caseId, reason: AssignmentReasonSchema, why: z.string().min(1).max(500), previousCollectorId: collectorId.optional(), profile: CaseProfileSchema }).strict(),
});

export const CaseReleased = defineEvent({
  service,
  type: 'CaseReleased',
  version: 1,
  description: "A closed case left its collector's load, its outcome counting in their success rate; or left the waiting queue (no collector), counting for no one.",
  schema: z.object({ caseId, collectorId: collectorId.optional(), outcome: z.enum(['success', 'failure', 'neutral']) }).strict(),
});

export const CASE_EVENTS = [CaseOpened, CaseSignalRecorded, StageEntered, ChecklistItemDone, ChecklistDeadlineSet, DeadlineMissed, LegalEscalationRequested, LegalEscalationHeld, ...sagaEffectEvents(service)] as const;
export type CaseEvent = EventOf<(typeof CASE_EVENTS)[number]>;

export const ROSTER_EVENTS = [CollectorRegistered, CollectorUpdated, CollectorAvailabilityChanged, CaseAssigned, CaseUnassigned, CaseReleased] as const;
export type RosterEvent = EventOf<(typeof ROSTER_EVENTS)[number]>;

export { CaseCloseReasonSchema };
