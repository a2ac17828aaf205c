import { ErrorCode, isArrearsError } from '@arrears/contracts';
import fc from 'fast-check';
import type { EventStore, ExpectedVersion } from '../port';
import { newEvent, uniqueStream } from '@arrears/testing';

interface Attempt {
  readonly writer: number;
  readonly expected: ExpectedVersion;
  readonly eventIds: readonly string[];
  readonly outcome: 'won' | 'conflict';
  readonly next?: number;
}

/**
 * Many writers race on one stream, each reading the version and appending with it as the expected version
 * until it has won its rounds. Whatever the interleaving: each version is won by exactly one append, every
 * other attempt at it gets CONCURRENCY_CONFLICT and writes nothing, and the stream has no gaps or duplicates.
 */
export async function raceOnOneStream(store: EventStore, writers: number, rounds: number, batchSizes: readonly number[]): Promise<Attempt[]> {
  const streamId = uniqueStream('race');
  const attempts: Attempt[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let won = 0; won < rounds; ) {
        const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
        const expected: ExpectedVersion = last === undefined ? 'no_stream' : last.streamPosition;
        const size = batchSizes[(writer + won) % batchSizes.length] ?? 1;
        const events = Array.from({ length: size }, (_, index) => newEvent('Raced', { writer, won, index }));
        const eventIds = events.map((event) => event.eventId);
        try {
          const result = await store.appendToStream(streamId, events, { expectedVersion: expected });
          attempts.push({ writer, expected, eventIds, outcome: 'won', next: result.nextExpectedVersion });
          won += 1;
        } catch (error) {
          if (!isArrearsError(error, ErrorCode.CONCURRENCY_CONFLICT)) throw error;
          attempts.push({ writer, expected, eventIds, outcome: 'conflict' });
        }
      }
    }),
  );

  const stored = await store.readStream(streamId);
  const wins = attempts.filter((attempt) => attempt.outcome === 'won');
  // Exactly one win per expected version, and the winners chain: each starts where the previous ended.
  const winsByExpected = new Map<string, number>();
  for (const win of wins) winsByExpected.set(String(win.expected), (winsByExpected.get(String(win.expected)) ?? 0) + 1);
  expect([...winsByExpected.values()].every((count) => count === 1)).toBe(true);
  const chain = [...wins].sort((a, b) => (a.next ?? 0) - (b.next ?? 0));
  chain.forEach((win, index) => {
    const previous = chain[index - 1];
    expect(win.expected).toBe(previous === undefined ? 'no_stream' : previous.next);
    expect(win.next).toBe((previous?.next ?? -1) + win.eventIds.length);
  });
  // No gaps, no duplicates, and exactly the winners' events, each batch whole and in order.
  expect(stored.map((event) => event.streamPosition)).toEqual(stored.map((_, index) => index));
  expect(stored.map((event) => event.eventId)).toEqual(chain.flatMap((win) => win.eventIds));
  const storedIds = new Set(stored.map((event) => event.eventId));
  expect(attempts.filter((attempt) => attempt.outcome === 'conflict' && attempt.eventIds.some((id) => storedIds.has(id)))).toEqual([]);
  return attempts;
}

export function describeConcurrencyProperty(name: string, store: () => EventStore, numRuns: number): void {
  it(`${name}: writers racing on one stream — one winner per version, CONCURRENCY_CONFLICT for the rest, no gaps or duplicates`, async () => {
    let conflicts = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        async (writers, rounds, batchSizes) => {
          const attempts = await raceOnOneStream(store(), writers, rounds, batchSizes);
          conflicts += attempts.filter((attempt) => attempt.outcome === 'conflict').length;
        },
      ),
      { numRuns },
    );
    // The property is only worth something if the writers really collided.
    expect(conflicts).toBeGreaterThan(0);
  }, 120_000);
}
