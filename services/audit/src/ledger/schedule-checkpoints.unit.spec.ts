import { scheduleCheckpoints } from './audit-ledger';

describe('scheduleCheckpoints', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('checkpoints on every tick, skipping ticks while one runs, passes a failure to onError and keeps going, and stops', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const errors: unknown[] = [];
    const ledger = {
      checkpoint: async () => {
        calls += 1;
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 250));
        running -= 1;
        if (calls === 2) throw new Error('database down');
        return undefined;
      },
    };
    const schedule = scheduleCheckpoints(ledger, { everyMs: 100, onError: (error) => errors.push(error) });
    await jest.advanceTimersByTimeAsync(1_000);
    const stopping = schedule.stop();
    await jest.runAllTimersAsync();
    await stopping;
    const afterStop = calls;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(afterStop);
    // 1,000 ms of ticks every 100 ms, each checkpoint taking 250 ms: a checkpoint every third tick, never two at once.
    expect(calls).toBe(4);
    expect(most).toBe(1);
    expect(errors).toEqual([new Error('database down')]);
  });
});
