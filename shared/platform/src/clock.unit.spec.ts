import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { acceleratedClockEnv, acceleratedClockOf, platformClock } from './clock';

const ANCHOR = Date.parse('2026-11-30T10:00:00Z');
const accelerated = { ARREARS_CLOCK_START: '2026-03-02T09:00:00Z', ARREARS_CLOCK_SPEED: '3600', ARREARS_CLOCK_ANCHOR_MS: String(ANCHOR) };

function refusal(run: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ArrearsError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the platform clock', () => {
  it('is the real clock when no ARREARS_CLOCK_* variable is set (or they are empty)', () => {
    let real = ANCHOR;
    const clock = platformClock({}, () => real);
    expect(clock().toISOString()).toBe('2026-11-30T10:00:00.000Z');
    real += 1_500;
    expect(clock().toISOString()).toBe('2026-11-30T10:00:01.500Z');
    expect(platformClock({ ARREARS_CLOCK_START: '', ARREARS_CLOCK_SPEED: '', ARREARS_CLOCK_ANCHOR_MS: '' }, () => real)().getTime()).toBe(real);
  });

  it('is start + (real now − anchor) × speed: at the anchor the start, an hour a real second at 3600, before the anchor earlier', () => {
    let real = ANCHOR;
    const clock = platformClock(accelerated, () => real);
    expect(clock().toISOString()).toBe('2026-03-02T09:00:00.000Z');
    real = ANCHOR + 1_000;
    expect(clock().toISOString()).toBe('2026-03-02T10:00:00.000Z');
    real = ANCHOR + 24_000;
    expect(clock().toISOString()).toBe('2026-03-03T09:00:00.000Z');
    real = ANCHOR + 1;
    expect(clock().toISOString()).toBe('2026-03-02T09:00:03.600Z');
    real = ANCHOR - 2_000;
    expect(clock().toISOString()).toBe('2026-03-02T07:00:00.000Z');
  });

  it('reads the same instant in every process given the same variables at the same real moment', () => {
    const real = () => ANCHOR + 12_345;
    const readings = [platformClock({ ...accelerated }, real), platformClock({ ...accelerated, OTHER: 'x' }, real)].map((clock) => clock().toISOString());
    expect(new Set(readings).size).toBe(1);
  });

  it('takes fractional speeds and a start with an offset (kept as the same instant)', () => {
    const clock = platformClock({ ...accelerated, ARREARS_CLOCK_START: '2026-03-02T04:00:00-05:00', ARREARS_CLOCK_SPEED: '0.5' }, () => ANCHOR + 4_000);
    expect(clock().toISOString()).toBe('2026-03-02T09:00:02.000Z');
  });

  it('refuses some variables without the others, naming the one missing', () => {
    const { ARREARS_CLOCK_ANCHOR_MS: _anchor, ...withoutAnchor } = accelerated;
    expect(refusal(() => platformClock(withoutAnchor))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_CLOCK_ANCHOR_MS' });
    expect(refusal(() => platformClock({ ARREARS_CLOCK_SPEED: '60' })).message).toMatch(/ARREARS_CLOCK_SPEED is set but ARREARS_CLOCK_START is not/);
  });

  it.each([
    ['ARREARS_CLOCK_START', '2026-03-02', 'a day is no instant'],
    ['ARREARS_CLOCK_START', '2026-03-02T09:00:00', 'an instant needs its offset'],
    ['ARREARS_CLOCK_START', 'soon', 'not a date'],
    ['ARREARS_CLOCK_SPEED', '0', 'time must pass'],
    ['ARREARS_CLOCK_SPEED', '-60', 'never backwards'],
    ['ARREARS_CLOCK_SPEED', 'fast', 'not a number'],
    ['ARREARS_CLOCK_ANCHOR_MS', '1.5', 'whole milliseconds'],
    ['ARREARS_CLOCK_ANCHOR_MS', 'now', 'not a number'],
  ])('refuses %s=%s (%s), naming it', (name, value) => {
    expect(refusal(() => platformClock({ ...accelerated, [name]: value }))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: name });
  });

  it('gives back the variables a launcher passes on, which describe the same clock', () => {
    const settings = { start: '2026-03-02T09:00:00.000Z', speed: 7200, anchorMs: ANCHOR };
    const env = acceleratedClockEnv(settings);
    expect(env).toEqual({ ARREARS_CLOCK_START: '2026-03-02T09:00:00.000Z', ARREARS_CLOCK_SPEED: '7200', ARREARS_CLOCK_ANCHOR_MS: String(ANCHOR) });
    expect(acceleratedClockOf(env)).toEqual(settings);
    expect(acceleratedClockOf({})).toBeUndefined();
  });
});
