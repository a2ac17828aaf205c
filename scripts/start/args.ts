import { parseArgs } from 'node:util';

export interface StartOptions {
  /** Every service (and the relay) in the launcher's own process; PostgreSQL and nats-server stay processes. */
  readonly singleProcess: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm start [-- --single-process]

Starts the whole platform: PostgreSQL and nats-server when DATABASE_URL and NATS_URL are unset (their data under
ARREARS_HOME, default ./.arrears), the relay, every service and the gateway, each as its own process, and waits
until every one reports ready. Ctrl-C stops everything in order; a second Ctrl-C kills.

  --single-process   run the relay and every service inside this one Node process (less memory)
  --help             this text
`;

/** The launcher's command line; an unknown option is an error whose message names it. */
export function parseStartArgs(argv: readonly string[]): StartOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'single-process': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
    allowPositionals: false,
  });
  return { singleProcess: values['single-process'] === true, help: values.help === true };
}
