import { uuidV5 } from '@arrears/event-store';
import { timerId } from '@arrears/timers';
import type { SagaInput } from './saga';

/** Fixed for ever: the ids of commands a saga issues are derived in it. */
const SAGA_COMMANDS = 'a7d3c2e1-4b5f-4e6a-9c8d-1f2e3d4c5b6a';

export interface SagaEffectEvent {
  readonly type: 'SagaCommandIssued' | 'SagaTimerSet' | 'SagaTimerCleared';
  readonly data: Record<string, unknown>;
}

/**
 * Builds the effect events of one decision. Every id is derived — a command's from the input that caused it and its
 * place among the decision's commands, a timer's from the saga, its kind and key — so deciding the same input again
 * makes the same ids, and the services and the timer store recognise a repeat.
 */
export class SagaEffects {
  private issued = 0;

  constructor(
    private readonly owner: string,
    private readonly sagaId: string,
    private readonly input: SagaInput,
  ) {}

  command(service: string, command: string, data: Record<string, unknown>, reason: string): SagaEffectEvent {
    const commandId = uuidV5(`${this.input.kind}/${this.input.id}/${service}/${command}/${this.issued++}`, SAGA_COMMANDS);
    return { type: 'SagaCommandIssued', data: { sagaId: this.sagaId, commandId, service, command, data, reason } };
  }

  setTimer(kind: string, key: string, fireAt: string, payload: Record<string, unknown> = {}): SagaEffectEvent {
    return { type: 'SagaTimerSet', data: { sagaId: this.sagaId, timerId: this.timerId(kind, key), kind, fireAt, payload: { ...payload, key } } };
  }

  clearTimer(kind: string, key: string): SagaEffectEvent {
    return { type: 'SagaTimerCleared', data: { sagaId: this.sagaId, timerId: this.timerId(kind, key), kind } };
  }

  timerId(kind: string, key: string): string {
    return timerId(this.owner, kind, `${this.sagaId}/${key}`);
  }
}
