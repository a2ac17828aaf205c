import { randomUUID } from 'node:crypto';
import { globalPosition, type EventEnvelope, type NewEvent } from '@arrears/contracts';
import type { DomainEvent } from '@arrears/event-store';
import { SagaEffects } from '../effects';
import type { SagaDefinition, SagaInput } from '../saga';

/** An event as another service published it, for a saga's input: the store's fields filled in plausibly. */
export function published(event: NewEvent, streamId: string, streamPosition = 0): EventEnvelope {
  return { ...event, streamId, streamPosition, globalPosition: globalPosition(streamPosition + 1, streamPosition + 1), recordedAt: event.occurredAt };
}

export const input = {
  event: (event: EventEnvelope): SagaInput => ({ kind: 'event', id: event.eventId, at: event.occurredAt, event }),
  timer: (timer: { timerId?: string; kind: string; payload: Record<string, unknown>; firedAt: string }): SagaInput => ({
    kind: 'timer',
    id: timer.timerId ?? randomUUID(),
    at: timer.firedAt,
    timer: { timerId: timer.timerId ?? randomUUID(), kind: timer.kind, payload: timer.payload, firedAt: timer.firedAt },
  }),
};

export interface SagaReaction<Event extends DomainEvent> {
  /** Everything decided, each checked against its published schema. */
  events(): Event[];
  then(expected: readonly Event[]): void;
  /** The decision's own events, without the effects. */
  decisions(): Event[];
  /** The commands it issues: service, command, data. */
  commands(): { service: string; command: string; data: Record<string, unknown>; commandId: string }[];
  /** The timers it sets, by kind and fire time, with their payloads. */
  timersSet(): { kind: string; fireAt: string; payload: Record<string, unknown>; timerId: string }[];
  /** The timers it clears, by kind and id. */
  timersCleared(): { kind: string; timerId: string }[];
}

const EFFECTS = ['SagaCommandIssued', 'SagaTimerSet', 'SagaTimerCleared', 'SagaCommandRefused'];

/**
 * Given / when / then for sagas (docs/sagas.md): `given(...history).when(input)` and then the saga's decisions,
 * the commands it issues and the timers it sets or clears — each event checked against its schema.
 */
export function sagaSpec<State, Event extends DomainEvent>(definition: SagaDefinition<State, Event>, sagaId: string): (...history: readonly Event[]) => { when(input: SagaInput): SagaReaction<Event>; state: State } {
  return (...history) => {
    const state = history.reduce(definition.evolve, definition.initialState());
    return {
      state,
      when(sagaInput) {
        const events = () => {
          const decided = [...definition.react(state, sagaInput, { sagaId, effects: new SagaEffects(definition.name, sagaId, sagaInput) })];
          for (const event of decided) definition.events.encode(event as never);
          return decided;
        };
        const of = (type: string) => events().filter((event) => event.type === type).map((event) => event.data as Record<string, unknown>);
        return {
          events,
          then: (expected) => expect(events()).toEqual(expected),
          decisions: () => events().filter((event) => !EFFECTS.includes(event.type)),
          commands: () => of('SagaCommandIssued').map((data) => ({ service: String(data['service']), command: String(data['command']), data: data['data'] as Record<string, unknown>, commandId: String(data['commandId']) })),
          timersSet: () => of('SagaTimerSet').map((data) => ({ kind: String(data['kind']), fireAt: String(data['fireAt']), payload: data['payload'] as Record<string, unknown>, timerId: String(data['timerId']) })),
          timersCleared: () => of('SagaTimerCleared').map((data) => ({ kind: String(data['kind']), timerId: String(data['timerId']) })),
        };
      },
    };
  };
}
