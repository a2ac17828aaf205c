import { accounts, ArrearsError, ErrorCode, type caseWorkflow, type CommandEnvelope, type EventEnvelope, type Role } from '@arrears/contracts';
import { evolve, type CaseEvent, type CaseState } from './case-state';
import { rulesFor, type StageRules, type WorkflowPolicy } from './policy';
import { readEvent, type Reading } from './signals';

/** Who may flag suspected wilful default: a judgement that sends a case towards legal. */
const WILFUL_DEFAULT_ROLES: readonly Role[] = ['supervisor', 'admin'];

type Stage = caseWorkflow.Stage;
type Item = caseWorkflow.ChecklistItem;
type Signal = caseWorkflow.Signal;
type CloseReason = NonNullable<Extract<CaseEvent, { type: 'StageEntered' }>['data']['closeReason']>;
type Detail = Extract<CaseEvent, { type: 'CaseSignalRecorded' }>['data']['detail'];

/**
 * The saga runtime's input and effect builder as the rules see them (`SagaInput`, `SagaEffectBuilder` of
 * @arrears/sagas, by shape: domain code imports nothing but the contracts).
 */
export type CaseInput =
  | { readonly kind: 'event'; readonly id: string; readonly at: string; readonly event: EventEnvelope }
  | { readonly kind: 'timer'; readonly id: string; readonly at: string; readonly timer: { readonly kind: string; readonly payload: Readonly<Record<string, unknown>> } }
  | { readonly kind: 'refusal'; readonly id: string; readonly at: string }
  | { readonly kind: 'command'; readonly id: string; readonly at: string; readonly command: CommandEnvelope };
type Effect = { readonly type: string; readonly data: Record<string, unknown> };
export interface CaseEffects {
  command(service: string, command: string, data: Record<string, unknown>, reason: string): Effect;
  setTimer(kind: string, key: string, fireAt: string, payload?: Record<string, unknown>): Effect;
  clearTimer(kind: string, key: string): Effect;
}

export const CASE_OWNER = 'case-workflow';
export const DEADLINE = 'deadline';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Flags under which a case is not sent to legal, however the triggers stand. */
export const LEGAL_HOLDS = accounts.LEGAL_HOLD_FLAGS;

/** Signals that show the debtor willing to settle: the case moves to negotiate. */
const WILLING: readonly Signal[] = ['promise-offered', 'promise-recorded', 'plan-proposed', 'plan-accepted'];
/** Signals of a commitment failing: the case moves to pressure. */
const FAILING: readonly Signal[] = ['promise-broken', 'instalment-missed', 'plan-defaulted'];
const RELEASE_OUTCOME: Record<CloseReason, 'success' | 'failure' | 'neutral'> = {
  paid: 'success',
  settled: 'success',
  'plan-completed': 'success',
  'handed-to-legal': 'neutral',
  'written-off': 'failure',
  returned: 'neutral',
  sold: 'neutral',
};

/**
 * The case saga's rules (docs/case-workflow.md): one input, the case's state → the events that record what it learnt
 * and decided, with their effects (commands, timers). Every time is the input's time, so a replay decides alike.
 */
export function caseReactor(policy: WorkflowPolicy): (state: CaseState, input: CaseInput, context: { readonly sagaId: string; readonly effects: CaseEffects }) => CaseEvent[] {
  return (state, input, { sagaId, effects }) => {
    const decision = new Decision(state, input, sagaId, effects, policy);
    switch (input.kind) {
      case 'event': {
        const reading = readEvent(input.event);
        if (reading !== undefined) decision.onReading(reading);
        break;
      }
      case 'timer':
        decision.onTimer(input.timer.kind, input.timer.payload);
        break;
      case 'command':
        decision.onCommand(input.command.type, input.command.data, input.command.metadata.actorId, input.command.metadata.actorRole);
        break;
      default:
        break; // a refusal is recorded by the runtime; the case goes on as it was
    }
    return decision.events;
  };
}

/** One decision: the events so far, and the state as they leave it. */
class Decision {
  readonly events: CaseEvent[] = [];

  constructor(
    private state: CaseState,
    private readonly input: CaseInput,
    private readonly caseId: string,
    private readonly effects: CaseEffects,
    private readonly policy: WorkflowPolicy,
  ) {}

  private get at(): string {
    return this.input.at;
  }

  private emit(event: CaseEvent | Effect): void {
    this.events.push(event as CaseEvent);
    this.state = evolve(this.state, event as CaseEvent);
  }

  private command(service: string, command: string, data: Record<string, unknown>, reason: string): void {
    this.emit(this.effects.command(service, command, data, reason));
  }

  onReading(reading: Reading): void {
    if (reading.kind === 'placed') return this.open(reading.placed);
    // Each source has its own consumer: an event may overtake its account's AccountPlaced. It is not dropped — the
    // consumer delivers it again (with back-off) once the case is open.
    if (!this.state.opened) throw new ArrearsError(ErrorCode.UNAVAILABLE, `Case ${this.caseId} is not open yet: ${reading.signal} is delivered again later`, { field: 'caseId' });
    if (this.state.stage === 'close') return this.afterClose(reading.signal, reading.detail);
    this.record(reading.signal, reading.detail);
    this.follow(reading.signal, reading.detail);
    this.checkLegal();
  }

  onCommand(type: string, data: Record<string, unknown>, actorId: string, actorRole: Role): void {
    if (type !== 'FlagWilfulDefault') throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The case saga takes no ${type}`, { field: 'type' });
    if (!WILFUL_DEFAULT_ROLES.includes(actorRole)) {
      throw new ArrearsError(ErrorCode.FORBIDDEN, `Only a ${WILFUL_DEFAULT_ROLES.join(' or ')} flags wilful default, not a ${actorRole}`, { field: 'metadata.actorRole' });
    }
    if (!this.state.opened) throw new ArrearsError(ErrorCode.NOT_FOUND, `No case ${this.caseId}`, { field: 'data.accountId' });
    if (this.state.stage === 'close') throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Case ${this.caseId} is closed`, { field: 'data.accountId' });
    if (this.state.wilfulDefault !== undefined) return;
    this.record('wilful-default-flagged', { note: String(data['reason']), by: actorId });
    this.checkLegal();
  }

  /**
   * A closed case still hears from legal: litigation status is recorded on it; a refused handoff (a hold the legal
   * service found) takes a case handed to legal back to pressure, for the supervisor to decide.
   */
  private afterClose(signal: Signal, detail: Detail): void {
    if (signal === 'litigation-status') return this.record(signal, detail);
    if (signal !== 'legal-handoff-refused' || this.state.closeReason !== 'handed-to-legal') return;
    this.record(signal, detail);
    this.enter('pressure', `legal refused the handoff: ${detail.note ?? 'no reason given'}`);
  }

  /** A stage deadline came: still open in the same visit → missed, with its consequence. */
  onTimer(kind: string, payload: Readonly<Record<string, unknown>>): void {
    if (kind !== DEADLINE || this.state.stage === undefined || this.state.stage === 'close') return;
    const entry = Number(payload['entry']);
    const item = payload['item'] as Item;
    const current = this.state.checklist[item];
    if (entry !== this.state.entry || current?.status !== 'open' || current.dueAt === undefined || Date.parse(this.at) < Date.parse(current.dueAt)) return;
    const stage = this.state.stage;
    this.emit({
      type: 'DeadlineMissed',
      data: {
        caseId: this.caseId,
        stage,
        entry,
        item,
        dueAt: current.dueAt,
        reason: missedReason(stage, item),
        ...(this.state.collectorId === undefined ? {} : { collectorId: this.state.collectorId }),
        alerted: this.state.collectorId === undefined ? ['supervisor'] : ['supervisor', 'collector'],
      },
    });
    if ((stage === 'contact' && item === 'right-party-contact') || (stage === 'negotiate' && item === 'commitment')) {
      this.enter('pressure', stage === 'contact' ? 'no right-party contact by the deadline' : 'no commitment by the deadline');
      return;
    }
    if (this.state.missedInVisit >= this.policy.stalledAfterMisses && this.state.collectorId !== undefined && this.state.profile !== undefined) {
      this.command(
        'case-workflow',
        'ReassignCase',
        { teamId: this.policy.teamId, caseId: this.caseId, reason: 'stalled', profile: this.profileNow() },
        `${this.state.missedInVisit} deadlines missed in ${stage}: the case has stalled`,
      );
    }
  }

  private open(placed: Extract<Reading, { kind: 'placed' }>['placed']): void {
    if (this.state.opened) return;
    const profile: caseWorkflow.CaseProfile = {
      product: placed.product,
      currency: placed.currency,
      balance: placed.balance.principal + placed.balance.fees + placed.balance.interest,
      daysPastDue: daysPastDue(placed.dueDate, this.at),
      bucket: bucketOf(daysPastDue(placed.dueDate, this.at)),
      tier: 'medium',
      brokenPromises: 0,
    };
    this.emit({ type: 'CaseOpened', data: { caseId: this.caseId, accountId: placed.accountId, creditorId: placed.creditor.creditorId, dueDate: placed.dueDate, profile } });
    this.enter('contact', 'the account was placed');
    this.command('case-workflow', 'AssignCase', { teamId: this.policy.teamId, caseId: this.caseId, profile }, 'a new case needs a collector');
  }

  private record(signal: Signal, detail: Detail): void {
    const source = this.input.kind === 'event' ? { sourceEventId: this.input.event.eventId, sourceType: this.input.event.type } : { sourceEventId: this.input.id, sourceType: this.input.kind === 'command' ? this.input.command.type : this.input.kind };
    this.emit({ type: 'CaseSignalRecorded', data: { caseId: this.caseId, signal, ...source, at: this.at, detail } });
  }

  /** What a signal means for the stage and its checklist. */
  private follow(signal: Signal, detail: Detail): void {
    const stage = this.state.stage;
    switch (signal) {
      case 'assigned':
        return this.startFirstAttemptClock();
      case 'attempt':
        return this.done('first-attempt', signal);
      case 'right-party-contact':
        this.done('first-attempt', signal);
        return this.done('right-party-contact', signal);
      case 'final-notice-sent':
        return this.done('legal-consequences-notice', signal);
      case 'plan-completed':
        return this.close('plan-completed', `plan ${detail.planId ?? ''} completed`);
      case 'legal-handoff-started':
        // The saga's own escalations close the case when asked for; this is one sent to legal directly (a
        // supervisor's RequestLegalEscalation), which hands the case to legal all the same.
        return this.close('handed-to-legal', `sent to legal by ${detail.by ?? 'someone'}: ${detail.note ?? 'no reason given'}`);
      case 'account-closed': {
        // Accounts closes the account on the plan's PlanCompleted, which may reach the saga before the PlanCompleted
        // itself does: an account paid off or settled while a plan runs closes the case as the plan's completion.
        const running = this.state.runningPlan;
        if (running !== undefined && (detail.closeReason === 'paid' || detail.closeReason === 'settled')) {
          return this.close('plan-completed', `plan ${running} completed (the account was closed as ${detail.closeReason})`);
        }
        return this.close((detail.closeReason ?? 'returned') as CloseReason, `the account was closed (${detail.closeReason ?? 'unknown'})`);
      }
      default:
        break;
    }
    if (WILLING.includes(signal)) {
      if (signal === 'promise-offered') {
        this.done('first-attempt', signal);
        this.done('right-party-contact', signal);
      }
      if (stage !== 'negotiate') this.enter('negotiate', reasonFor(signal, detail));
      if (signal === 'promise-recorded' || signal === 'plan-accepted') this.done('commitment', signal);
      if (signal === 'plan-accepted') {
        for (const promiseId of this.state.openPromises) {
          this.command('promises-to-pay', 'CancelPromise', { promiseId, accountId: this.state.accountId, reason: `replaced by payment plan ${detail.planId ?? ''}`.trim() }, 'a plan was accepted: the open promise is replaced by it');
        }
      }
      return;
    }
    if (FAILING.includes(signal) && stage !== 'pressure') this.enter('pressure', reasonFor(signal, detail));
  }

  /** The first attempt is due within hours of assignment: its deadline starts when a collector has the case. */
  private startFirstAttemptClock(): void {
    const item = this.state.checklist['first-attempt'];
    if (this.state.stage !== 'contact' || item?.status !== 'open' || item.dueAt !== undefined) return;
    const dueAt = plus(this.at, this.rules().contact.firstAttemptHours * HOUR_MS);
    this.emit({ type: 'ChecklistDeadlineSet', data: { caseId: this.caseId, stage: 'contact', entry: this.state.entry, item: 'first-attempt', dueAt } });
    this.emit(this.effects.setTimer(DEADLINE, `${this.state.entry}/first-attempt`, dueAt, { entry: this.state.entry, item: 'first-attempt' }));
  }

  private done(item: Item, by: Signal): void {
    const entry = this.state.checklist[item];
    if (entry?.status !== 'open' || this.state.stage === undefined) return;
    this.emit({ type: 'ChecklistItemDone', data: { caseId: this.caseId, stage: this.state.stage, entry: this.state.entry, item, by, at: this.at } });
    if (entry.dueAt !== undefined) this.emit(this.effects.clearTimer(DEADLINE, `${this.state.entry}/${item}`));
  }

  /** Leave the current stage (its open deadlines cleared) and enter `stage` with its checklist and deadlines. */
  private enter(stage: Stage, reason: string, closeReason?: CloseReason): void {
    const from = this.state.stage;
    for (const [item, entry] of Object.entries(this.state.checklist)) {
      if (entry?.status === 'open' && entry.dueAt !== undefined) this.emit(this.effects.clearTimer(DEADLINE, `${this.state.entry}/${item}`));
    }
    const entry = this.state.entry + 1;
    const checklist = this.checklistFor(stage);
    this.emit({ type: 'StageEntered', data: { caseId: this.caseId, stage, ...(from === undefined ? {} : { from }), entry, reason, checklist, ...(closeReason === undefined ? {} : { closeReason }) } });
    for (const { item, dueAt } of checklist) {
      if (dueAt !== undefined) this.emit(this.effects.setTimer(DEADLINE, `${entry}/${item}`, dueAt, { entry, item }));
    }
  }

  private checklistFor(stage: Stage): { item: Item; dueAt?: string }[] {
    const rules = this.rules();
    const days = (count: number) => plus(this.at, count * DAY_MS);
    switch (stage) {
      case 'contact':
        return [
          // Due a number of hours after assignment: set when the collector is known.
          this.state.collectorId === undefined ? { item: 'first-attempt' } : { item: 'first-attempt', dueAt: plus(this.at, rules.contact.firstAttemptHours * HOUR_MS) },
          { item: 'right-party-contact', dueAt: days(rules.contact.rightPartyContactDays) },
        ];
      case 'pressure':
        return [
          { item: 'legal-consequences-notice', dueAt: days(rules.pressure.legalNoticeDays) },
          { item: 'right-party-contact', dueAt: days(rules.pressure.rightPartyContactDays) },
        ];
      case 'negotiate':
        return [{ item: 'commitment', dueAt: days(rules.negotiate.commitmentDays) }];
      default:
        return [];
    }
  }

  private close(reason: CloseReason, why: string): void {
    if (this.state.stage === 'close') return;
    this.enter('close', why, reason);
    this.command('case-workflow', 'ReleaseCase', { teamId: this.policy.teamId, caseId: this.caseId, outcome: RELEASE_OUTCOME[reason] }, `the case closed: ${reason}`);
  }

  /**
   * Legal escalation when a configured trigger holds and it has not been asked for: held (once per set of holds,
   * the supervisor alerted) while a hold applies, else requested — and the case closes as handed to legal.
   */
  private checkLegal(): void {
    if (this.state.legal === 'requested' || this.state.stage === 'close' || this.state.profile === undefined) return;
    const { legal } = this.policy;
    const reasons: string[] = [];
    const overdue = daysPastDue(this.state.dueDate, this.at);
    const broken = this.state.profile.brokenPromises;
    if (overdue >= legal.minDaysPastDue && broken >= legal.brokenPromises) reasons.push(`${overdue} days past due with ${broken} broken promises`);
    if (this.state.planDefaults >= legal.planDefaults) reasons.push(`${this.state.planDefaults} payment plans defaulted`);
    if (this.state.wilfulDefault !== undefined) reasons.push(`suspected wilful default flagged by ${this.state.wilfulDefault.by}: ${this.state.wilfulDefault.reason}`);
    if (reasons.length === 0) return;
    const holds = this.state.flags.filter((flag) => LEGAL_HOLDS.includes(flag));
    if (holds.length > 0) {
      if (this.state.legal === 'held' && holds.every((hold) => this.state.heldFor.includes(hold))) return;
      this.emit({ type: 'LegalEscalationHeld', data: { caseId: this.caseId, reasons, holds } });
      return;
    }
    const requestedBy = this.state.wilfulDefault !== undefined && reasons.length === 1 ? this.state.wilfulDefault.by : `system:${CASE_OWNER}`;
    this.emit({ type: 'LegalEscalationRequested', data: { caseId: this.caseId, accountId: this.state.accountId, reasons, requestedBy } });
    this.close('handed-to-legal', `legal escalation requested: ${reasons.join('; ')}`);
  }

  private rules(): StageRules {
    const profile = this.state.profile;
    return rulesFor(this.policy, profile?.tier ?? 'medium', profile?.bucket ?? 'current');
  }

  private profileNow(): caseWorkflow.CaseProfile {
    const profile = this.state.profile!;
    const overdue = daysPastDue(this.state.dueDate, this.at);
    return { ...profile, daysPastDue: overdue };
  }
}

function reasonFor(signal: Signal, detail: Detail): string {
  const subject = detail.promiseId ? ` (promise ${detail.promiseId})` : detail.planId ? ` (plan ${detail.planId})` : '';
  return `${signal.replace(/-/g, ' ')}${subject}`;
}

function missedReason(stage: Stage, item: Item): string {
  const what: Record<Item, string> = {
    'first-attempt': 'no contact attempt was made in time after assignment',
    'right-party-contact': 'the debtor was not reached in time',
    'legal-consequences-notice': 'the notice of legal consequences was not sent in time',
    commitment: 'no promise or accepted plan came in time',
  };
  return `${stage}: ${what[item]}`;
}

export function daysPastDue(dueDate: string, at: string): number {
  return Math.max(0, Math.floor((Date.parse(at) - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS));
}

function bucketOf(days: number): accounts.AgingBucket {
  return days === 0 ? 'current' : days <= 30 ? '1-30' : days <= 90 ? '31-90' : '90+';
}

function plus(at: string, ms: number): string {
  return new Date(Date.parse(at) + ms).toISOString();
}
