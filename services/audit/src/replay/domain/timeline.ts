import type { EventEnvelope } from '@arrears/contracts';
import { caseEvents, type ReplayEvent } from './decode';
import { describeEvent } from './describe';
import { oneLine, withoutCiphertexts } from './personal-data';
import { reasonsOf, type Reason } from './reasons';

/** One line of a case's history, as an auditor reads it. */
export interface TimelineEntry {
  /** Global position (`"<commit>:<prepare>"`): the platform's one order across every service. */
  readonly position: string;
  /** Business time: the `now` of the command that made it (`occurredAt`). */
  readonly time: string;
  /** When the store committed it: from then on the platform knew it. */
  readonly recordedAt: string;
  /** The owner of the stream (`STREAM_CATEGORY_OWNERS`); null for a category no service owns. */
  readonly service: string | null;
  readonly stream: string;
  readonly streamPosition: number;
  readonly eventId: string;
  /** The stored type, also for an event the platform does not know. */
  readonly type: string;
  readonly schemaVersion: number;
  /** Whether the owner's catalog read it; an unknown event is listed all the same, never dropped. */
  readonly known: boolean;
  readonly actor: { readonly id: string; readonly role: string };
  readonly summary: string;
  /** The reasons of the decision it records (compliance rules, stage and saga reasons, holds, factors…). */
  readonly reasons: readonly Reason[];
}

/**
 * A case's full history across every service, in global order, each event once; personal fields stay ciphertexts
 * and show as [encrypted]. Events the platform cannot read are listed with their stored type and why.
 */
export function caseTimeline(events: readonly EventEnvelope[]): TimelineEntry[] {
  return caseEvents(events).map(timelineEntry);
}

export function timelineEntry(replayed: ReplayEvent): TimelineEntry {
  const { envelope, decoded } = replayed;
  const summary = decoded === null ? `Unread event ${envelope.type} (v${envelope.schemaVersion}): ${replayed.problem ?? 'unknown'}` : describeEvent(decoded);
  const reasons = decoded === null ? [] : reasonsOf(decoded);
  return {
    position: envelope.globalPosition,
    time: envelope.occurredAt,
    recordedAt: envelope.recordedAt,
    service: replayed.service,
    stream: envelope.streamId,
    streamPosition: envelope.streamPosition,
    eventId: envelope.eventId,
    type: envelope.type,
    schemaVersion: envelope.schemaVersion,
    known: decoded !== null,
    actor: { id: envelope.metadata.actorId, role: envelope.metadata.actorRole },
    summary: oneLine(withoutCiphertexts(summary)),
    reasons: reasons.map((given) => ({
      code: given.code,
      message: withoutCiphertexts(given.message),
      facts: Object.fromEntries(Object.entries(given.facts).map(([key, value]) => [key, typeof value === 'string' ? withoutCiphertexts(value) : value])),
    })),
  };
}
