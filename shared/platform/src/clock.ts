import { ArrearsError, ErrorCode } from '@arrears/contracts';

export const CLOCK_START_ENV = 'ARREARS_CLOCK_START';
export const CLOCK_SPEED_ENV = 'ARREARS_CLOCK_SPEED';
export const CLOCK_ANCHOR_ENV = 'ARREARS_CLOCK_ANCHOR_MS';
const CLOCK_VARIABLES = [CLOCK_START_ENV, CLOCK_SPEED_ENV, CLOCK_ANCHOR_ENV] as const;

/** An accelerated clock: `start` is the simulated instant at the real epoch ms `anchorMs`; time then runs `speed` times as fast. */
export interface AcceleratedClock {
  readonly start: string;
  readonly speed: number;
  readonly anchorMs: number;
}

/**
 * The clock every service process reads wherever time passes (timers, the accounts review, the gateway's `now`,
 * dead letters, evidence delivery, audit checkpoints). The real one, unless `ARREARS_CLOCK_START`,
 * `ARREARS_CLOCK_SPEED` and `ARREARS_CLOCK_ANCHOR_MS` are all set (the simulator sets them): then
 * now = start + (real now − anchor) × speed. The three are fixed numbers, so every process given them reads the
 * same instant at the same real moment, without talking to the others. Some but not all set, or a bad value, is
 * VALIDATION_FAILED naming the variable: a platform on two clocks would break deadlines silently.
 */
export function platformClock(env: NodeJS.ProcessEnv = process.env, realNow: () => number = Date.now): () => Date {
  const accelerated = acceleratedClockOf(env);
  if (accelerated === undefined) return () => new Date(realNow());
  const startMs = Date.parse(accelerated.start);
  return () => new Date(startMs + (realNow() - accelerated.anchorMs) * accelerated.speed);
}

/** The accelerated clock the environment describes, or undefined when none of its variables is set. */
export function acceleratedClockOf(env: NodeJS.ProcessEnv = process.env): AcceleratedClock | undefined {
  const given = CLOCK_VARIABLES.filter((name) => (env[name] ?? '') !== '');
  if (given.length === 0) return undefined;
  const missing = CLOCK_VARIABLES.find((name) => !given.includes(name));
  if (missing !== undefined) {
    throw invalid(missing, `${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} set but ${missing} is not: an accelerated clock needs all of ${CLOCK_VARIABLES.join(', ')}`);
  }
  const start = env[CLOCK_START_ENV] as string;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(start) || Number.isNaN(Date.parse(start))) {
    throw invalid(CLOCK_START_ENV, `${CLOCK_START_ENV} must be an ISO-8601 instant with an offset such as 2026-03-02T09:00:00Z, not "${start}"`);
  }
  const speed = Number(env[CLOCK_SPEED_ENV]);
  if (!Number.isFinite(speed) || speed <= 0) throw invalid(CLOCK_SPEED_ENV, `${CLOCK_SPEED_ENV} must be a number above 0 (3600: an hour a second), not "${env[CLOCK_SPEED_ENV]}"`);
  const anchorMs = Number(env[CLOCK_ANCHOR_ENV]);
  if (!Number.isSafeInteger(anchorMs) || anchorMs < 0) throw invalid(CLOCK_ANCHOR_ENV, `${CLOCK_ANCHOR_ENV} must be a real instant in epoch milliseconds, not "${env[CLOCK_ANCHOR_ENV]}"`);
  return { start: new Date(start).toISOString(), speed, anchorMs };
}

/** The variables that give every process `clock`: what a launcher passes to its children. */
export function acceleratedClockEnv(clock: AcceleratedClock): Record<(typeof CLOCK_VARIABLES)[number], string> {
  return { [CLOCK_START_ENV]: clock.start, [CLOCK_SPEED_ENV]: String(clock.speed), [CLOCK_ANCHOR_ENV]: String(clock.anchorMs) };
}

function invalid(field: string, message: string): ArrearsError {
  return new ArrearsError(ErrorCode.VALIDATION_FAILED, message, { field });
}
