/**
 * The 48-hour handoff of a case to the legal department: the saga's rules. Stream `legal-<accountId>`; the saga id
 * is the case id, which is the account id. Every time is the input's time (an event's `occurredAt`, a timer's
 * firing, a command's `now`), so a replay decides alike.
 *
 * Starting a handoff
 * - case-workflow's `LegalEscalationRequested` starts handoff n + 1, unless one is in progress: then nothing (the
 *   case saga has already checked the holds).
 * - A supervisor's `RequestLegalEscalation` (role supervisor or admin) is refused with STATE_CONFLICT on
 *   `data.accountId` while a handoff is in progress; with a hold on the account (dispute, bankruptcy, deceased,
 *   breathing space, time-barred) it is recorded as `HandoffRefused` with the holds, under the number it would have
 *   had (the next request gets the one after); otherwise it starts handoff n + 1 with the supervisor's reason. The
 *   service's handler validates the command against its contract and adds the account's current flags
 *   (`RequestLegalEscalationData`).
 * - A handoff starts with `HandoffStarted` (requested at the input's time, reminders at +24 h and +36 h, overdue
 *   at +48 h), three timers keyed by the handoff's number (`reminder-24`, `reminder-36`, `overdue`) and the command
 *   `FixEvidence` to legal-escalation itself.
 *
 * The evidence
 * - The FixEvidence handler writes the package and tells the saga with the internal command `RecordEvidence`
 *   (role system; `RecordEvidenceData`): `EvidenceFixed`, then `LegalPackageDelivered` with the hours since the
 *   request and the download path `/api/legal/packages/<packageId>`. A RecordEvidence of another handoff, or of one
 *   already delivered, refused or over, decides nothing.
 * - A refusal of the FixEvidence this handoff sent (the handler found a hold at that moment) refuses the handoff:
 *   `HandoffRefused` with the refusal's message as its reason (the holds are named in it, not listed: the refusal
 *   carries only a message) and its timers cleared. A refusal of anything else decides nothing.
 *
 * The clock
 * - `reminder-24` and `reminder-36` send `HandoffReminderSent` (hoursSinceRequest: 24 or 36 — which reminder it
 *   is, even when the poller fires late; whether the package is delivered), `overdue` raises `LegalHandoffOverdue`
 *   (the supervisor and the legal lead alerted) — each once, only for the current handoff while it is not
 *   acknowledged, and only when the input's time has reached the instant stored in `HandoffStarted` (not a
 *   millisecond before).
 *
 * Acknowledgement and litigation (role legal or admin)
 * - `AcknowledgeHandoff` names the package delivered for the current handoff: `HandoffAcknowledged` (by the actor,
 *   hours since the request) and every timer not yet fired cleared. Again: nothing. No handoff: NOT_FOUND
 *   (`data.accountId`); refused: STATE_CONFLICT (`data.accountId`); not delivered yet: STATE_CONFLICT
 *   (`data.packageId`); another package: NOT_FOUND (`data.packageId`).
 * - `ReportLitigationStatus` only once acknowledged (else STATE_CONFLICT on `data.accountId`; NOT_FOUND with no
 *   handoff at all): `LitigationStatusReported` dated the input's UTC day, by the actor. `hearing-set` needs its
 *   hearing date (VALIDATION_FAILED on `data.hearingDate`). Statuses move forward only — filed → hearing-set →
 *   judgment → settled or withdrawn — and may skip ahead or repeat (an adjourned hearing gets a new date); going
 *   back is STATE_CONFLICT on `data.status`. A judgment is not the end (it is enforced, then settled, or the action
 *   withdrawn), but nothing goes back before it. Settled and withdrawn are final: the handoff is over, any further
 *   status is STATE_CONFLICT, and a new request starts handoff n + 1.
 *
 * Roles are checked here, on `metadata.actorRole` (FORBIDDEN): RequestLegalEscalation — supervisor, admin;
 * AcknowledgeHandoff, ReportLitigationStatus — legal, admin; RecordEvidence — system. Any other command is
 * VALIDATION_FAILED on `type`; a command naming another account than the saga's is VALIDATION_FAILED on
 * `data.accountId`.
 */
import { accounts, ArrearsError, ErrorCode, legalEscalation, validationFailed, type CommandEnvelope, type EventEnvelope, type Role } from '@arrears/contracts';
import { readEscalationRequested } from './escalation-requested';
import { evolve, inProgress, type ActiveHandoff, type HandoffState, type HandoffTimer, type LegalEvent, type LitigationStatus } from './handoff-state';
import { holdsAmong } from './holds';

type Data<Type extends LegalEvent['type']> = Extract<LegalEvent, { type: Type }>['data'];

/**
 * The saga runtime's input and effect builder as the rules see them (`SagaInput`, `SagaEffectBuilder` of
 * @arrears/sagas, by shape: domain code imports nothing but the contracts).
 */
export type HandoffInput =
  | { readonly kind: 'event'; readonly id: string; readonly at: string; readonly event: EventEnvelope }
  | { readonly kind: 'timer'; readonly id: string; readonly at: string; readonly timer: { readonly kind: string; readonly payload: Readonly<Record<string, unknown>> } }
  | { readonly kind: 'refusal'; readonly id: string; readonly at: string; readonly refusal: { readonly commandId: string; readonly command: string; readonly code: string; readonly message: string } }
  | { readonly kind: 'command'; readonly id: string; readonly at: string; readonly command: CommandEnvelope };
type Effect = { readonly type: string; readonly data: Record<string, unknown> };
export interface HandoffEffects {
  command(service: string, command: string, data: Record<string, unknown>, reason: string): Effect;
  setTimer(kind: string, key: string, fireAt: string, payload?: Record<string, unknown>): Effect;
  clearTimer(kind: string, key: string): Effect;
}

/**
 * What the service's handler sends the saga for a supervisor's `RequestLegalEscalation`: the command's data as its
 * contract has it (validated there), plus the account's current flags as the handler read them — all of them; the
 * rules pick the ones that hold.
 */
export interface RequestLegalEscalationData {
  readonly accountId: string;
  readonly reason: string;
  readonly holds: readonly accounts.Flag[];
}

/**
 * `RecordEvidence`: the FixEvidence handler's word that the package is written and stored — an internal command to
 * the saga (not in contracts), actor role `system`, sent with `onCommand(accountId, command)`.
 */
export interface RecordEvidenceData {
  readonly accountId: string;
  readonly handoff: number;
  readonly packageId: string;
  readonly items: Data<'EvidenceFixed'>['items'];
  readonly events: number;
  readonly signature: string;
  readonly keyId: string;
}
export const RECORD_EVIDENCE = 'RecordEvidence';

export const LEGAL_OWNER = 'legal-escalation';
export const FIX_EVIDENCE = 'FixEvidence';
const HOUR_MS = 3_600_000;

/** The handoff's clock: when each timer fires, in hours after the request. */
export const HANDOFF_TIMERS: readonly { readonly kind: HandoffTimer; readonly hours: number }[] = [
  { kind: 'reminder-24', hours: 24 },
  { kind: 'reminder-36', hours: 36 },
  { kind: 'overdue', hours: 48 },
];

const ROLES: Readonly<Record<string, readonly Role[]>> = {
  RequestLegalEscalation: ['supervisor', 'admin'],
  AcknowledgeHandoff: ['legal', 'admin'],
  ReportLitigationStatus: ['legal', 'admin'],
  [RECORD_EVIDENCE]: ['system'],
};

/** Litigation moves forward only; settled and withdrawn are both the end. */
const ORDER: Readonly<Record<LitigationStatus, number>> = { filed: 1, 'hearing-set': 2, judgment: 3, settled: 4, withdrawn: 4 };

/** The handoff saga's rules: one input, the case's handoff state → the events that record what was decided, with their effects. */
export function handoffReactor(): (state: HandoffState, input: HandoffInput, context: { readonly sagaId: string; readonly effects: HandoffEffects }) => LegalEvent[] {
  return (state, input, { sagaId, effects }) => {
    const decision = new Decision(state, input, sagaId, effects);
    switch (input.kind) {
      case 'event': {
        const requested = readEscalationRequested(input.event);
        if (requested !== undefined) decision.onRequested(requested.accountId, requested.reasons, requested.requestedBy);
        break;
      }
      case 'timer':
        decision.onTimer(input.timer.kind, input.timer.payload);
        break;
      case 'refusal':
        decision.onRefusal(input.refusal);
        break;
      case 'command':
        decision.onCommand(input.command);
        break;
      default:
        return unreachable(input);
    }
    return decision.events;
  };
}

/** One decision: the events so far, and the state as they leave it. */
class Decision {
  readonly events: LegalEvent[] = [];

  constructor(
    private state: HandoffState,
    private readonly input: HandoffInput,
    private readonly caseId: string,
    private readonly effects: HandoffEffects,
  ) {}

  /** The input's time, normalised to UTC. */
  private get at(): string {
    return new Date(this.input.at).toISOString();
  }

  private emit(event: LegalEvent | Effect): void {
    this.events.push(event as LegalEvent);
    this.state = evolve(this.state, event as LegalEvent);
  }

  /** case-workflow asked: a handoff unless one is under way (a repeat of the request, or one still being litigated). */
  onRequested(accountId: string, reasons: readonly string[], requestedBy: string): void {
    if (inProgress(this.state.current)) return;
    this.start(accountId, reasons, requestedBy);
  }

  onCommand(command: CommandEnvelope): void {
    const { type, data, metadata } = command;
    const roles = ROLES[type];
    if (roles === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The handoff saga takes no ${type}`, { field: 'type' });
    if (!roles.includes(metadata.actorRole)) {
      throw new ArrearsError(ErrorCode.FORBIDDEN, `${type} is for the ${roles.join(' or ')} role; ${metadata.actorId} acts as ${metadata.actorRole}`, { field: 'metadata.actorRole' });
    }
    if (data['accountId'] !== this.caseId) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${type} names account ${String(data['accountId'])}, but was sent to the handoff of case ${this.caseId}`, { field: 'data.accountId' });
    }
    switch (type) {
      case 'RequestLegalEscalation':
        return this.onSupervisorRequest(requestData(data), metadata.actorId);
      case RECORD_EVIDENCE:
        return this.onEvidence(evidenceData(this.caseId, data));
      case 'AcknowledgeHandoff':
        return this.onAcknowledge(parse(legalEscalation.AcknowledgeHandoff.schema, data).packageId, metadata.actorId);
      case 'ReportLitigationStatus':
        return this.onLitigation(parse(legalEscalation.ReportLitigationStatus.schema, data), metadata.actorId);
      default:
        return;
    }
  }

  private onSupervisorRequest(data: RequestLegalEscalationData, actorId: string): void {
    const current = this.state.current;
    if (inProgress(current)) {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Case ${this.caseId} is already with legal (handoff ${current.handoff}, ${current.status})`, { field: 'data.accountId' });
    }
    const holds = holdsAmong(data.holds);
    if (holds.length > 0) {
      this.emit({ type: 'HandoffRefused', data: { caseId: this.caseId, handoff: this.state.handoffs + 1, reason: `a hold applies to the account: ${holds.join(', ')}`, holds } });
      return;
    }
    this.start(data.accountId, [data.reason], actorId);
  }

  /** Handoff n + 1: its clock, its three timers, and the evidence to be fixed. */
  private start(accountId: string, reasons: readonly string[], requestedBy: string): void {
    const handoff = this.state.handoffs + 1;
    const requestedAt = this.at;
    const due = (hours: number) => new Date(Date.parse(requestedAt) + hours * HOUR_MS).toISOString();
    this.emit({
      type: 'HandoffStarted',
      data: { caseId: this.caseId, accountId, handoff, reasons: [...reasons], requestedBy, requestedAt, remindAt: [due(24), due(36)], overdueAt: due(48) },
    });
    for (const { kind, hours } of HANDOFF_TIMERS) this.emit(this.effects.setTimer(kind, String(handoff), due(hours), { handoff }));
    this.emit(this.effects.command(LEGAL_OWNER, FIX_EVIDENCE, { accountId, handoff, reasons: [...reasons], requestedAt }, `handoff ${handoff}: the evidence is to be fixed and in legal’s hands within 48 hours`));
  }

  private onEvidence(data: RecordEvidenceData): void {
    const current = this.state.current;
    if (current?.status !== 'awaiting-evidence' || current.handoff !== data.handoff) return;
    const { handoff, packageId, items, events, signature, keyId } = data;
    this.emit({ type: 'EvidenceFixed', data: { caseId: this.caseId, handoff, packageId, items, events, signature, keyId } });
    this.emit({
      type: 'LegalPackageDelivered',
      data: { caseId: this.caseId, accountId: current.accountId, handoff, packageId, hoursSinceRequest: this.hoursSince(current.requestedAt), download: `/api/legal/packages/${packageId}` },
    });
  }

  /** The FixEvidence of this handoff was refused (a hold found when the evidence was to be fixed): the handoff is refused. */
  onRefusal(refusal: Extract<HandoffInput, { kind: 'refusal' }>['refusal']): void {
    const current = this.state.current;
    if (refusal.command !== FIX_EVIDENCE || current?.status !== 'awaiting-evidence' || current.fixCommandId !== refusal.commandId) return;
    const reason = refusal.message.trim().slice(0, 500) || `${FIX_EVIDENCE} was refused (${refusal.code})`;
    this.emit({ type: 'HandoffRefused', data: { caseId: this.caseId, handoff: current.handoff, reason, holds: [] } });
    this.clearTimers(current);
  }

  /** A timer of the current handoff, not yet acknowledged, whose instant has come: a reminder or the overdue alert, once. */
  onTimer(kind: string, payload: Readonly<Record<string, unknown>>): void {
    const timer = HANDOFF_TIMERS.find((candidate) => candidate.kind === kind);
    const current = this.state.current;
    if (timer === undefined || (current?.status !== 'awaiting-evidence' && current?.status !== 'delivered')) return;
    if (payload['handoff'] !== current.handoff || current.fired.includes(timer.kind) || Date.parse(this.at) < Date.parse(current.due[timer.kind])) return;
    const delivered = current.status === 'delivered';
    if (timer.kind === 'overdue') {
      this.emit({ type: 'LegalHandoffOverdue', data: { caseId: this.caseId, handoff: current.handoff, delivered, alerted: ['supervisor', 'legal-lead'] } });
      return;
    }
    this.emit({ type: 'HandoffReminderSent', data: { caseId: this.caseId, handoff: current.handoff, hoursSinceRequest: timer.hours, delivered } });
  }

  private onAcknowledge(packageId: string, actorId: string): void {
    const current = this.state.current;
    if (current === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `Case ${this.caseId} has not been handed to legal`, { field: 'data.accountId' });
    if (current.status === 'refused') throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Handoff ${current.handoff} of case ${this.caseId} was refused: there is nothing to acknowledge`, { field: 'data.accountId' });
    if (current.status === 'awaiting-evidence') {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `The package of handoff ${current.handoff} of case ${this.caseId} has not been delivered yet`, { field: 'data.packageId' });
    }
    if (current.packageId !== packageId) {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `Package ${packageId} is not the one delivered for handoff ${current.handoff} of case ${this.caseId} (${current.packageId})`, { field: 'data.packageId' });
    }
    if (current.status !== 'delivered') return; // acknowledged already
    this.emit({ type: 'HandoffAcknowledged', data: { caseId: this.caseId, handoff: current.handoff, packageId, acknowledgedBy: actorId, hoursSinceRequest: this.hoursSince(current.requestedAt) } });
    this.clearTimers(current);
  }

  private onLitigation(data: Extract<legalEscalation.LegalCommand, { type: 'ReportLitigationStatus' }>['data'], actorId: string): void {
    const current = this.state.current;
    if (current === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `Case ${this.caseId} has not been handed to legal`, { field: 'data.accountId' });
    if (current.status === 'over') {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Handoff ${current.handoff} of case ${this.caseId} is over (${current.outcome}): its status cannot change`, { field: 'data.status' });
    }
    if (current.status !== 'acknowledged') {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Handoff ${current.handoff} of case ${this.caseId} has not been acknowledged by legal (${current.status})`, { field: 'data.accountId' });
    }
    const { status, hearingDate, note } = data;
    if (current.litigation !== undefined && ORDER[status] < ORDER[current.litigation]) {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `The litigation of case ${this.caseId} is at ${current.litigation}: it cannot go back to ${status}`, { field: 'data.status' });
    }
    if (status === 'hearing-set' && hearingDate === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'A hearing set needs its date', { field: 'data.hearingDate' });
    this.emit({
      type: 'LitigationStatusReported',
      data: { caseId: this.caseId, handoff: current.handoff, status, on: this.at.slice(0, 10), reportedBy: actorId, ...(hearingDate === undefined ? {} : { hearingDate }), ...(note === undefined ? {} : { note }) },
    });
  }

  /** Clears the handoff's timers that have not fired: nothing is left to remind of. */
  private clearTimers(handoff: ActiveHandoff): void {
    for (const { kind } of HANDOFF_TIMERS) if (!handoff.fired.includes(kind)) this.emit(this.effects.clearTimer(kind, String(handoff.handoff)));
  }

  /** Hours from the request to this input, to the hundredth. */
  private hoursSince(requestedAt: string): number {
    return Math.max(0, Math.round((Date.parse(this.at) - Date.parse(requestedAt)) / (HOUR_MS / 100)) / 100);
  }
}

function requestData(data: Record<string, unknown>): RequestLegalEscalationData {
  const { accountId, reason } = parse(legalEscalation.RequestLegalEscalation.schema, { accountId: data['accountId'], reason: data['reason'] });
  const holds = parse(accounts.FlagSchema.array(), data['holds'], 'data.holds');
  return { accountId, reason, holds };
}

function evidenceData(caseId: string, data: Record<string, unknown>): RecordEvidenceData {
  const { handoff, packageId, items, events, signature, keyId } = parse(legalEscalation.EvidenceFixed.schema, {
    caseId,
    handoff: data['handoff'],
    packageId: data['packageId'],
    items: data['items'],
    events: data['events'],
    signature: data['signature'],
    keyId: data['keyId'],
  });
  return { accountId: caseId, handoff, packageId, items, events, signature, keyId };
}

/** Validates a command's data (or a part of it) against a contract schema: VALIDATION_FAILED naming the field. */
function parse<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: Parameters<typeof validationFailed>[0] } }, value: unknown, prefix = 'data'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(result.error, prefix);
  return result.data;
}

function unreachable(input: never): never {
  throw new Error(`No rule for input ${JSON.stringify(input)}`);
}
