import { globalPosition, type EventEnvelope } from '@arrears/contracts';
import { newEvent } from '@arrears/testing';
import { nextPollPause, pollingSubscription, type PollingSource } from './polling-subscription';

const tuning = { pageSize: 10, pollIntervalMs: 100, minPollIntervalMs: 2, maxRetryDelayMs: 10 };

describe('polling pauses', () => {
  it('looks again soon after finding events and backs off by doubling while nothing comes, up to the interval', () => {
    const pauses: number[] = [];
    let previous: number | undefined;
    for (const found of [true, false, false, false, false, false, false, false, false, true, false]) {
      previous = nextPollPause(tuning, previous, found);
      pauses.push(previous);
    }
    expect(pauses).toEqual([2, 4, 8, 16, 32, 64, 100, 100, 100, 2, 4]);
  });

  it('keeps a fixed interval when no minimum is set, or when the minimum is not below it', () => {
    for (const fixed of [{ pollIntervalMs: 100 }, { pollIntervalMs: 100, minPollIntervalMs: 100 }, { pollIntervalMs: 100, minPollIntervalMs: 500 }]) {
      expect([nextPollPause(fixed, undefined, true), nextPollPause(fixed, 100, false), nextPollPause(fixed, 100, true)]).toEqual([100, 100, 100]);
    }
  });

  it('the delivery loop waits for what nextPollPause says, starting over after each page with events', async () => {
    // A source that yields one event on reads 1 and 5, nothing otherwise, and records each pause it is asked for.
    const events = [1, 2].map((position): EventEnvelope => ({
      ...newEvent(),
      streamId: `test-${position}`,
      streamPosition: 0,
      globalPosition: globalPosition(0, position),
      recordedAt: '2026-11-29T09:30:00.000Z',
    }));
    const waits: number[] = [];
    let reads = 0;
    let stop: () => void = () => undefined;
    const source: PollingSource<number> = {
      fetch: async () => {
        reads++;
        if (reads === 1) return [events[0] as EventEnvelope];
        if (reads === 5) return [events[1] as EventEnvelope];
        return [];
      },
      end: async () => undefined,
      checkpointOf: (event) => events.indexOf(event),
      wait: async (ms) => {
        waits.push(ms);
        if (waits.length === 7) stop();
      },
    };
    const handled: string[] = [];
    const subscription = pollingSubscription(source, undefined, { from: 'start', handler: (event) => void handled.push(event.eventId) }, tuning);
    await new Promise<void>((resolve) => (stop = resolve));
    await subscription.stop();
    expect(handled).toEqual(events.map((event) => event.eventId));
    expect(waits).toEqual([2, 4, 8, 16, 2, 4, 8]);
  });
});
