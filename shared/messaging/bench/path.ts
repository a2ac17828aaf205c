import type { ConsumerProcess } from './consumer-process';
import type { Send } from './load';
import type { Tracker } from './tracker';

export type PathId = 'arrears' | 'raw';

export const PATHS: readonly PathId[] = ['arrears', 'raw'];

export const PATH_LABELS: Record<PathId, string> = { arrears: 'Arrears (store → relay → transport)', raw: 'raw nats JetStream (floor)' };

/** One way from a writer to a handler: the platform's, or the floor. Its consumer runs in a process of its own. */
export interface BusPath {
  readonly id: PathId;
  readonly tracker: Tracker;
  readonly consumer: ConsumerProcess;
  /** Sends one event and records its times in the tracker. */
  readonly send: Send;
  stop(): Promise<void>;
}

/** Takes what the consumer process handled since the last call into the path's tracker. */
export async function collectHandled(path: BusPath): Promise<void> {
  for (const [eventId, handledAt, storedAt] of await path.consumer.collect()) path.tracker.handled(eventId, handledAt, storedAt);
}
