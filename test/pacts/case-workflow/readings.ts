/**
 * What case-workflow's pacts share: the case saga takes another service's event through `readEvent`
 * (services/case-workflow/src/case/domain/signals.ts), which picks the catalog by the stream's category, decodes the
 * event and says what it means for the case. Each interaction runs it on the message Pact hands over, rebuilt into
 * the envelope as a NATS consumer does, and expects the reading.
 */
import type { caseWorkflow } from '@arrears/contracts';
import { readEvent, type Reading } from '@arrears/case-workflow/src/case/domain/signals';
import type { Metadata, PactV4 } from '@pact-foundation/pact';
import { receivedEvent } from '../event-messages';

export interface SagaInteraction {
  readonly state: string;
  readonly description: string;
  /** The event's headers (eventHeaders): the type, and the stream whose category selects the catalog. */
  readonly headers: Metadata;
  readonly body: Record<string, unknown>;
}

type Detail = Extract<Reading, { kind: 'signal' }>['detail'];

/** The reading of a signal: the case, what happened, and what the saga keeps of it. */
export function signal(caseId: string, kind: caseWorkflow.Signal, detail: Detail = {}): Reading {
  return { kind: 'signal', caseId, signal: kind, detail };
}

/** Declares the interaction and checks that the saga reads its message as `expected`. */
export function readsAs(pact: PactV4, { state, description, headers, body }: SagaInteraction, expected: Reading): Promise<unknown> {
  return pact
    .addAsynchronousInteraction()
    .given(state)
    .expectsToReceive(description, (message) => message.withMetadata(headers).withJSONContent(body))
    .executeTest(async (message) => {
      expect(readEvent(receivedEvent(message))).toEqual(expected);
    });
}
