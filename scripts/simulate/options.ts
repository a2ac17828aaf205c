import { parseArgs } from 'node:util';
import { JURISDICTIONS, type Jurisdiction } from './portfolio';

export interface SimulationOptions {
  readonly accounts: number;
  readonly days: number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  readonly jurisdiction: Jurisdiction;
  readonly seed: string;
  /** A platform already running (its gateway); otherwise the simulator starts one with the accelerated clock. */
  readonly gateway: string | undefined;
  /** The simulated instant the clock starts at; default the real now. */
  readonly start: string | undefined;
  readonly collectors: number;
  /** Where to write the summary as JSON as well. */
  readonly json: string | undefined;
  /** How long (real seconds) to wait at the end for the platform to catch up (read models, the audit ledger). */
  readonly settleSeconds: number;
  /** Run the launched platform in one process (`npm start -- --single-process`). */
  readonly singleProcess: boolean;
}

export const USAGE = `usage: npm run simulate -- [options]
  --accounts N          accounts to place (default 200)
  --days D              simulated days to run (default 30)
  --speed S             simulated seconds per real second (default 3600: a day in 24 s)
  --jurisdiction US|CN  where the debtors are (default US)
  --seed N              the random seed: the same seed places the same portfolio and debtors decide alike (default 1)
  --collectors N        collectors working the queues (default one per 100 accounts, at least 2)
  --start INSTANT       the simulated start (default now)
  --gateway URL         simulate against a running platform (its clock from ARREARS_CLOCK_*, its secret ARREARS_JWT_SECRET)
  --single-process      start the platform as one process instead of one per service
  --json FILE           also write the summary as JSON
  --settle-seconds N    how long to wait at the end for read models and the audit ledger to catch up (default 300)
Exit codes: 0 every invariant holds, 1 an invariant failed, 2 the simulation could not run.
`;

export class UsageError extends Error {}

/** The options of `npm run simulate -- …`; a bad one is a UsageError saying which and why. */
export function parseSimulationArgs(argv: readonly string[]): SimulationOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        accounts: { type: 'string' },
        days: { type: 'string' },
        speed: { type: 'string' },
        jurisdiction: { type: 'string' },
        seed: { type: 'string' },
        collectors: { type: 'string' },
        start: { type: 'string' },
        gateway: { type: 'string' },
        'single-process': { type: 'boolean' },
        json: { type: 'string' },
        'settle-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return 'help';
  const accounts = whole('accounts', values.accounts, 200, 1, 1_000_000);
  const jurisdiction = (values.jurisdiction ?? 'US').toUpperCase();
  if (!(JURISDICTIONS as readonly string[]).includes(jurisdiction)) throw new UsageError(`--jurisdiction must be ${JURISDICTIONS.join(' or ')}, not ${values.jurisdiction}`);
  const speed = values.speed === undefined ? 3600 : Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 10_000_000) throw new UsageError(`--speed must be a number above 0 (simulated seconds per real second), not ${values.speed}`);
  if (values.start !== undefined && (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(values.start) || Number.isNaN(Date.parse(values.start)))) {
    throw new UsageError(`--start must be an instant with an offset such as 2026-03-02T00:00:00Z, not ${values.start}`);
  }
  if (values.gateway !== undefined && !/^https?:\/\/[^/]+/.test(values.gateway)) throw new UsageError(`--gateway must be the gateway's URL, such as http://127.0.0.1:3000, not ${values.gateway}`);
  const seed = values.seed ?? '1';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(seed)) throw new UsageError(`--seed must be a number (or a word of letters and digits), not ${seed}`);
  return {
    accounts,
    days: whole('days', values.days, 30, 1, 3_650),
    speed,
    jurisdiction: jurisdiction as Jurisdiction,
    seed,
    gateway: values.gateway?.replace(/\/+$/, ''),
    start: values.start === undefined ? undefined : new Date(values.start).toISOString(),
    collectors: whole('collectors', values.collectors, Math.max(2, Math.ceil(accounts / 100)), 1, 10_000),
    json: values.json,
    settleSeconds: whole('settle-seconds', values['settle-seconds'], 300, 0, 86_400),
    singleProcess: values['single-process'] === true,
  };
}

function whole(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${value}`);
  return number;
}
