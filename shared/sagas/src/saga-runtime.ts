import { ArrearsError, ErrorCode, isServiceName, type CommandEnvelope, type EventEnvelope, type ServiceName } from '@arrears/contracts';
import { handleCommand, uuidV5, type CommandOutcome, type DomainEvent, type EventStore } from '@arrears/event-store';
import type { DueTimer, PostgresTimerStore } from '@arrears/timers';
import { SagaEffects } from './effects';
import { sagaStream, type SagaDefinition, type SagaInput } from './saga';

/** Fixed for ever: the append of each input is identified by an id derived in it, so an input is decided once. */
const SAGA_INPUTS = '3e9b7a51-c2d4-4f86-8e1a-6b5c4d3e2f10';

/** Refusals are final: the service decided. Anything else (unreachable, timed out, failed) is tried again. */
const REFUSALS: readonly string[] = [
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.NOT_FOUND,
  ErrorCode.STATE_CONFLICT,
  ErrorCode.FORBIDDEN,
  ErrorCode.IDEMPOTENCY_CONFLICT,
  ErrorCode.COMPLIANCE_BLOCKED,
  ErrorCode.STREAM_DELETED,
];

export interface SagaRuntimeOptions<State, Event extends DomainEvent> {
  readonly definition: SagaDefinition<State, Event>;
  readonly store: EventStore;
  readonly timers: PostgresTimerStore;
  /** Sends a command over NATS and waits for its reply (`CommandClient.send`). */
  readonly send: (service: ServiceName, command: CommandEnvelope) => Promise<unknown>;
}

/**
 * The process-manager runtime (docs/sagas.md). Inputs — events from NATS correlated to an instance, the saga's own
 * timers firing, refusals of what it sent — are decided by the saga's `react` over its stream with `handleCommand`,
 * under a command id derived from the input: a redelivered event or a timer fired twice is decided once. The
 * effects are carried out from the stored events (`carryOut`, fed by the saga's own events through the relay):
 * commands sent with their derived ids (the receiving service recognises a repeat), timers set and cleared by id.
 * A crash between decision and effect repeats the effect with the same ids, never a different one.
 */
export class SagaRuntime<State, Event extends DomainEvent> {
  private readonly definition: SagaDefinition<State, Event>;

  constructor(private readonly options: SagaRuntimeOptions<State, Event>) {
    this.definition = options.definition;
  }

  /** An event from NATS: decided by the instance it correlates to; nothing when it is not for this saga. */
  async onEvent(event: EventEnvelope): Promise<CommandOutcome | undefined> {
    const sagaId = this.definition.correlate(event);
    if (sagaId === undefined) return undefined;
    return this.decide(sagaId, { kind: 'event', id: event.eventId, at: event.occurredAt, event }, event.metadata.correlationId, event.eventId);
  }

  /** One of the saga's timers fired (the poller's handler): an input whose time is the firing's. */
  async onTimer(timer: DueTimer): Promise<CommandOutcome> {
    const sagaId = timer.key;
    const { key: _key, ...payload } = timer.payload as Record<string, unknown>;
    return this.decide(sagaId, { kind: 'timer', id: timer.timerId, at: timer.firedAt, timer: { timerId: timer.timerId, kind: timer.kind, payload, firedAt: timer.firedAt } }, timer.timerId, undefined);
  }

  /** A command sent to the saga itself (a supervisor's), for the instance it names: decided once per command id. */
  onCommand(sagaId: string, command: CommandEnvelope): Promise<CommandOutcome> {
    return this.decide(sagaId, { kind: 'command', id: command.commandId, at: command.metadata.now, command }, command.metadata.correlationId, command.commandId);
  }

  /** Load the instance, react to the input, append — once per input. */
  decide(sagaId: string, input: SagaInput, correlationId: string, causationId: string | undefined): Promise<CommandOutcome> {
    const { definition } = this;
    const command = {
      commandId: uuidV5(`${input.kind}/${input.id}`, SAGA_INPUTS),
      type: `Saga${input.kind[0]!.toUpperCase()}${input.kind.slice(1)}Input`,
      schemaVersion: 1,
      data: {},
      metadata: { correlationId, ...(causationId === undefined ? {} : { causationId }), caseId: sagaId, actorId: `system:${definition.name}`, actorRole: 'system' as const, now: input.at },
    };
    return handleCommand(
      {
        store: this.options.store,
        streamId: sagaStream(definition.category, sagaId),
        initialState: definition.initialState,
        evolve: definition.evolve,
        events: definition.events,
        decide: (_command, state) => {
          const reaction = definition.react(state, input, { sagaId, effects: new SagaEffects(definition.name, sagaId, input) });
          if (input.kind !== 'refusal') return reaction;
          return [{ type: 'SagaCommandRefused', data: { sagaId, ...input.refusal } } as unknown as Event, ...reaction];
        },
      },
      command,
    );
  }

  /**
   * Carries out one stored event of the saga's, as the relay delivers it (a consumer in order per instance): a
   * command is sent, a timer set or cleared. Other events need nothing. A refusal becomes an input of its own.
   */
  async carryOut(event: EventEnvelope): Promise<void> {
    const { definition, options } = this;
    const data = definition.events.decode(event).data as Record<string, unknown>;
    const sagaId = String(data['sagaId']);
    switch (event.type) {
      case 'SagaCommandIssued': {
        const service = String(data['service']);
        if (!isServiceName(service)) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `No service ${service}`, { field: 'data.service' });
        const commandId = String(data['commandId']);
        const command = String(data['command']);
        const envelope: CommandEnvelope = {
          commandId,
          type: command,
          schemaVersion: 1,
          data: data['data'] as Record<string, unknown>,
          metadata: { correlationId: event.metadata.correlationId, causationId: event.eventId, caseId: sagaId, actorId: `system:${definition.name}`, actorRole: 'system', now: event.occurredAt },
        };
        try {
          await options.send(service, envelope);
        } catch (error) {
          if (!(error instanceof ArrearsError) || !REFUSALS.includes(error.code)) throw error;
          await this.decide(sagaId, { kind: 'refusal', id: commandId, at: event.occurredAt, refusal: { commandId, service, command, code: error.code, message: error.message.slice(0, 2_000) } }, event.metadata.correlationId, event.eventId);
        }
        return;
      }
      case 'SagaTimerSet':
        await options.timers.schedule({
          timerId: String(data['timerId']),
          owner: definition.name,
          kind: String(data['kind']),
          key: sagaId,
          fireAt: String(data['fireAt']),
          payload: data['payload'] as Record<string, unknown>,
        });
        return;
      case 'SagaTimerCleared':
        await options.timers.cancel(String(data['timerId']));
        return;
      default:
        return;
    }
  }
}
