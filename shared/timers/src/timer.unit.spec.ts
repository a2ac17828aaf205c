import { ErrorCode } from '@arrears/contracts';
import { timerId, validTimer } from './timer';
import { DEFAULT_TIMER_BACKOFF, retryDelayMs } from './timer-poller';

describe('timerId', () => {
  const promiseId = '3f0e2a1c-9b8d-4c7e-a6f5-1d2c3b4a5e6f';

  it('is a UUID v5 that the same parts always give, on every machine', () => {
    const id = timerId('promises-to-pay', 'PromiseDue', promiseId);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(timerId('promises-to-pay', 'PromiseDue', promiseId)).toBe(id);
    // Fixed for ever (checked against Python's uuid.uuid5): a changed namespace or encoding would schedule every stored timer again.
    expect(timerId('promises-to-pay', 'PromiseDue', promiseId)).toBe('8f4e0dc2-f02a-5f64-b2ac-1e7e924a2b2a');
  });

  it('tells different facts apart, however their parts are split', () => {
    const ids = new Set([
      timerId('promises-to-pay', 'PromiseDue', promiseId),
      timerId('promises-to-pay', 'PromiseReminder', promiseId),
      timerId('a/b', 'c'),
      timerId('a', 'b/c'),
      timerId('a', 'b', 'c'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('refuses no parts or an empty part', () => {
    expect(() => timerId()).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'parts' }));
    expect(() => timerId('promises-to-pay', '')).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'parts' }));
  });
});

describe('validTimer', () => {
  const timer = { timerId: timerId('t'), owner: 'promises-to-pay', kind: 'PromiseDue', key: 'k', fireAt: '2025-03-01T00:00:00Z' };

  it.each(['2025-03-01T01:00:00+01:00', '2025-03-01T00:00:00.123456Z', '2024-02-29T23:59:59.999Z'])('accepts the instant %s', (fireAt) => {
    expect(validTimer({ ...timer, fireAt }).timer.fireAt).toBe(fireAt);
  });

  it('stores an absent payload as {}', () => {
    expect(validTimer(timer).payloadJson).toBe('{}');
  });
});

describe('retryDelayMs', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, { initialMs: 1_000, maxMs: 5_000 }))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(retryDelayMs(10_000)).toBe(DEFAULT_TIMER_BACKOFF.maxMs);
  });
});
