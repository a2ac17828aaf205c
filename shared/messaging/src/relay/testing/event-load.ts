import { randomUUID } from 'node:crypto';
import type { EventStore } from '@arrears/event-store';
import { newEvent } from '@arrears/testing';

export interface LoadOptions {
  readonly store: EventStore;
  readonly total: number;
  readonly streams: number;
  /** Concurrent writers, each appending to its own share of the streams. */
  readonly writers: number;
  readonly maxBatch: number;
  /** Each writer pauses up to this long between appends, to spread the load over time. */
  readonly maxPauseMs: number;
  readonly random: () => number;
  /** Stops the load early (between appends). */
  readonly signal?: AbortSignal;
}

const CATEGORIES = ['account', 'contact', 'promise', 'plan', 'legal', 'case'];
const TYPES = ['SomethingHappened', 'SomethingElseHappened', 'NothingMuchHappened'];

/** Appends `total` events in batches of 1..maxBatch to random streams, from several writers at once. */
export async function appendLoad(options: LoadOptions): Promise<number> {
  const { random } = options;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const streams = Array.from({ length: options.streams }, (_, n) => `${CATEGORIES[n % CATEGORIES.length]}-${randomUUID()}`);
  let remaining = options.total;
  const writer = async (index: number) => {
    const own = streams.filter((_, n) => n % options.writers === index);
    let appended = 0;
    while (remaining > 0 && !options.signal?.aborted) {
      const size = Math.min(remaining, 1 + Math.floor(random() * options.maxBatch));
      remaining -= size;
      const type = pick(TYPES);
      await options.store.appendToStream(pick(own), Array.from({ length: size }, () => newEvent(type, { writer: index, note: 'x'.repeat(200) })), {
        expectedVersion: 'any',
      });
      appended += size;
      await new Promise((resolve) => setTimeout(resolve, random() * options.maxPauseMs));
    }
    return appended;
  };
  const counts = await Promise.all(Array.from({ length: options.writers }, (_, index) => writer(index)));
  return counts.reduce((sum, count) => sum + count, 0);
}
