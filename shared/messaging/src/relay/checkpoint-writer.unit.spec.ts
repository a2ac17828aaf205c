import { globalPosition, type GlobalPosition } from '@arrears/contracts';
import { CheckpointWriter } from './checkpoint-writer';

const at = (n: number) => globalPosition(1_000, n);

describe('CheckpointWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function writer(save: (position: GlobalPosition) => Promise<void>, errors: unknown[] = []) {
    return new CheckpointWriter(save, { everyEvents: 3, intervalMs: 500 }, (error) => errors.push(error));
  }

  it('saves every N acknowledged events, the latest position each time', async () => {
    const saved: GlobalPosition[] = [];
    const checkpoints = writer(async (position) => void saved.push(position));
    for (let n = 1; n <= 7; n += 1) await checkpoints.acknowledged(at(n));
    expect(saved).toEqual([at(3), at(6)]);
    expect(checkpoints.saved).toBe(at(6));
  });

  it('saves a partial batch once the interval has passed since its first event', async () => {
    const saved: GlobalPosition[] = [];
    const checkpoints = writer(async (position) => void saved.push(position));
    await checkpoints.acknowledged(at(1));
    await jest.advanceTimersByTimeAsync(300);
    await checkpoints.acknowledged(at(2));
    expect(saved).toEqual([]);
    await jest.advanceTimersByTimeAsync(200);
    expect(saved).toEqual([at(2)]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(saved).toEqual([at(2)]);
  });

  it('keeps a position whose save failed and saves it (or a later one) next time', async () => {
    const saved: GlobalPosition[] = [];
    let failures = 1;
    const errors: unknown[] = [];
    const checkpoints = writer(async (position) => {
      if (failures-- > 0) throw new Error('database away');
      saved.push(position);
    }, errors);
    await checkpoints.acknowledged(at(1));
    await jest.advanceTimersByTimeAsync(500);
    expect(errors).toHaveLength(1);
    expect(checkpoints.saved).toBeUndefined();
    await checkpoints.flush();
    expect(saved).toEqual([at(1)]);
  });

  it('never lets an older save land after a newer one', async () => {
    const saved: GlobalPosition[] = [];
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const checkpoints = writer(async (position) => {
      if (position === at(1)) {
        started();
        await new Promise<void>((resolve) => (release = resolve));
      }
      saved.push(position);
    });
    await checkpoints.acknowledged(at(1));
    const first = checkpoints.flush();
    await firstStarted;
    await checkpoints.acknowledged(at(2));
    const second = checkpoints.flush();
    release();
    await Promise.all([first, second]);
    expect(saved).toEqual([at(1), at(2)]);
    expect(checkpoints.saved).toBe(at(2));
  });
});
