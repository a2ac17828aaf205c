import { setTimeout as sleep } from 'node:timers/promises';
import { Progress } from './progress';
import { Limiter, Scheduler, SimClock } from './scheduler';

describe('the simulated clock and the scheduler', () => {
  // An hour a real millisecond: a simulated day passes in 24 ms.
  const speed = 3_600_000;
  const realStart = Date.now();
  const simStart = Date.parse('2026-03-02T00:00:00Z');
  const clock = new SimClock(() => new Date(simStart + (Date.now() - realStart) * speed), speed);
  const HOUR = 3_600_000;

  it('waits for a simulated instant, and gives up when aborted', async () => {
    const target = clock.now() + 10 * HOUR;
    expect(await clock.until(target, new AbortController().signal)).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(target);
    const aborted = new AbortController();
    aborted.abort();
    expect(await clock.until(clock.now() + 1_000 * HOUR, aborted.signal)).toBe(false);
  });

  it('runs work in the order of its instants (then as given), none before its time, and leaves what falls due after the end', async () => {
    const scheduler = new Scheduler(clock, 2, (error) => {
      throw error;
    });
    const ran: { name: string; late: number }[] = [];
    const base = clock.now();
    const task = (name: string, at: number) => scheduler.at(at, async () => void ran.push({ name, late: clock.now() - at }));
    task('c', base + 30 * HOUR);
    task('a', base + 10 * HOUR);
    task('b1', base + 20 * HOUR);
    task('b2', base + 20 * HOUR);
    task('never', base + 500 * HOUR);
    await scheduler.run(base + 100 * HOUR, new AbortController().signal);
    expect(ran.map((r) => r.name)).toEqual(['a', 'b1', 'b2', 'c']);
    expect(ran.every((r) => r.late >= 0)).toBe(true);
    expect(scheduler.pending).toBe(1);
  });

  it('takes work added while it runs, and hands a failure to onError', async () => {
    const errors: unknown[] = [];
    const scheduler = new Scheduler(clock, 4, (error) => errors.push(error));
    const base = clock.now();
    const ran: string[] = [];
    scheduler.at(base + HOUR, async () => {
      ran.push('first');
      scheduler.at(clock.now() + HOUR, async () => void ran.push('added'));
      throw new Error('a payment failed');
    });
    await scheduler.run(base + 50 * HOUR, new AbortController().signal);
    expect(ran).toEqual(['first', 'added']);
    expect(errors).toEqual([new Error('a payment failed')]);
  });

  it('a limiter runs at most its limit at once, the rest in order', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        limiter.run(async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(2);
          order.push(i);
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(2);
    expect([...order].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('the progress of a phase', () => {
  const output = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, out: { isTTY, columns: 60, write: (text: string) => writes.push(text) } };
  };

  it('off a terminal, a line at every tenth of the way', () => {
    const { writes, out } = output(false);
    const progress = new Progress(out, 'simulating');
    for (let done = 0; done <= 100; done += 1) progress.update(done, 100, `day ${done}`);
    progress.done();
    expect(writes).toEqual(Array.from({ length: 11 }, (_, i) => `simulating: ${i * 10}% day ${i * 10}\n`));
  });

  it('on a terminal, one line redrawn in place, at most ten times a second, ended by done()', () => {
    const { writes, out } = output(true);
    let now = 0;
    const progress = new Progress(out, 'placing', () => now);
    progress.update(0, 4);
    progress.update(1, 4);
    now += 150;
    progress.update(2, 4, '2/4 accounts');
    progress.update(4, 4, '4/4 accounts');
    progress.done();
    expect(writes.map((text) => text.trimEnd())).toEqual(['\rplacing [----------------------------]   0%', '\rplacing [##############--------------]  50% 2/4 accounts', '\rplacing [############################] 100% 4/4 accounts', '']);
    expect(writes.slice(0, -1).every((text) => text.length === 60)).toBe(true);
  });
});
