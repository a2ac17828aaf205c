/**
 * A saga as its service runs it, for a provider verification (case-workflow's case saga, legal-escalation's handoff
 * saga): the service's `SagaRuntime` over an in-memory store, fed the inputs the service feeds it. What the saga
 * decides is appended to its own stream, from which `publishedMessage` publishes it as the relay does.
 */
import type { EventEnvelope, NewEvent } from '@arrears/contracts';
import { InMemoryEventStore, type CommandOutcome, type DomainEvent } from '@arrears/event-store';
import { SagaRuntime, type SagaDefinition } from '@arrears/sagas';
import type { PostgresTimerStore } from '@arrears/timers';

/**
 * The effects — commands sent, timers set and cleared — are carried out by `carryOut` from the saga's stored
 * events, which a verification never calls: the message is the decision itself, and nothing is sent or scheduled.
 * The runtime's constructor asks for the service's PostgresTimerStore all the same, so this stands in for the two
 * methods `carryOut` uses, and refuses them, as does `send`, should a verification ever carry out an effect.
 */
const NOT_CARRIED_OUT = (): never => {
  throw new Error('A provider verification does not carry out the saga’s effects');
};
const timers: Pick<PostgresTimerStore, 'schedule' | 'cancel'> = { schedule: NOT_CARRIED_OUT, cancel: NOT_CARRIED_OUT };

export class SagaProvider<State, Event extends DomainEvent> {
  readonly store = new InMemoryEventStore();
  readonly runtime: SagaRuntime<State, Event>;

  constructor(definition: SagaDefinition<State, Event>) {
    this.runtime = new SagaRuntime({ definition, store: this.store, timers: timers as unknown as PostgresTimerStore, send: NOT_CARRIED_OUT });
  }

  /**
   * Another service's event as the saga receives it: stored in its stream, as that service's store recorded it, and
   * read back with the positions and recording time the store gave it — the envelope the relay publishes.
   */
  async receive(streamId: string, event: NewEvent): Promise<CommandOutcome> {
    await this.store.appendToStream(streamId, [event], { expectedVersion: 'any' });
    const stored = (await this.store.readStream(streamId)).find((candidate) => candidate.eventId === event.eventId);
    if (stored === undefined) throw new Error(`${event.type} ${event.eventId} is not in ${streamId}`);
    const outcome = await this.runtime.onEvent(stored);
    if (outcome === undefined) throw new Error(`The saga does not take ${event.type} from ${streamId}`);
    return outcome;
  }

  /** The saga's own stored event of `type` that `matches`: the FixEvidence it issued, say. */
  async ownEvent(streamId: string, type: string, matches: (data: Record<string, unknown>) => boolean = () => true): Promise<EventEnvelope> {
    const found = (await this.store.readStream(streamId)).find((event) => event.type === type && matches(event.data));
    if (found === undefined) throw new Error(`No ${type} in ${streamId}`);
    return found;
  }
}
