import type { CommandEnvelope, EventCatalog, EventEnvelope } from '@arrears/contracts';
import type { DomainEvent } from '@arrears/event-store';

/** A timer of the saga's that fired: the input it becomes, with the instant it fired as its time. */
export interface FiredTimer {
  readonly timerId: string;
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly firedAt: string;
}

/** A command the saga issued that its service refused (a business refusal, not an outage). */
export interface RefusedCommand {
  readonly commandId: string;
  readonly service: string;
  readonly command: string;
  readonly code: string;
  readonly message: string;
}

/**
 * What a saga reacts to. Each input has an id the runtime derives the append's command id from, so an input
 * delivered twice — an event redelivered, a timer fired again after a crash — is decided once.
 */
export type SagaInput =
  | { readonly kind: 'event'; readonly id: string; readonly at: string; readonly event: EventEnvelope }
  | { readonly kind: 'timer'; readonly id: string; readonly at: string; readonly timer: FiredTimer }
  | { readonly kind: 'refusal'; readonly id: string; readonly at: string; readonly refusal: RefusedCommand }
  | { readonly kind: 'command'; readonly id: string; readonly at: string; readonly command: CommandEnvelope };

/**
 * A process manager: pure rules over its own stream (`<category>-<sagaId>`). `react` decides, from the saga's state
 * and one input, the events to record — its own decisions and the effects (`SagaCommandIssued`, `SagaTimerSet`,
 * `SagaTimerCleared`, made with `SagaEffects`), which the runtime carries out from the stored events.
 */
export interface SagaDefinition<State, Event extends DomainEvent> {
  /** The owning service: timers' owner, commands' actor (`system:<name>`). */
  readonly name: string;
  /** The stream category of the saga's instances (`case` → `case-<sagaId>`). */
  readonly category: string;
  /** The saga's events, its effect events included (`sagaEffectEvents(service)` in contracts). */
  readonly events: EventCatalog;
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  /** Which instance an event is for; undefined when the saga does not take it. */
  readonly correlate: (event: EventEnvelope) => string | undefined;
  /**
   * The saga's decision for one input. An input the saga ignores returns []; a command sent to the saga itself (a
   * supervisor's) may be refused with an ArrearsError; anything else thrown is a bug.
   */
  readonly react: (state: State, input: SagaInput, context: SagaContext) => readonly Event[];
}

/** What `react` is given besides state and input: the instance, and the builder of its effect events. */
export interface SagaContext {
  readonly sagaId: string;
  readonly effects: SagaEffectBuilder;
}

/** Builds effect events with derived ids (`SagaEffects`); a structural type, so pure domain code needs no import. */
export interface SagaEffectBuilder {
  command(service: string, command: string, data: Record<string, unknown>, reason: string): { readonly type: string; readonly data: Record<string, unknown> };
  setTimer(kind: string, key: string, fireAt: string, payload?: Record<string, unknown>): { readonly type: string; readonly data: Record<string, unknown> };
  clearTimer(kind: string, key: string): { readonly type: string; readonly data: Record<string, unknown> };
}

export function sagaStream(category: string, sagaId: string): string {
  return `${category}-${sagaId}`;
}
