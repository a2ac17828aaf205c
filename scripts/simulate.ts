// `npm run simulate -- [--accounts N] [--days D] [--speed S] [--jurisdiction US|CN] [--seed N] [--gateway URL] [--json FILE]`:
// a portfolio worked for simulated months in real minutes, then a summary and the invariants (docs/simulator.md).
// Exit codes: 0 every invariant holds, 1 an invariant failed, 2 the simulation could not run.
import { writeFile } from 'node:fs/promises';
import { parseSimulationArgs, USAGE, UsageError } from './simulate/options';
import { runSimulation } from './simulate/run';
import { formatSummary } from './simulate/summary';

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseSimulationArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  // The first Ctrl-C ends the simulated time early and still gathers the summary; a second one stops at once.
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write('\nending the run early: gathering the summary (Ctrl-C again to stop at once)\n');
    interrupt.abort();
  });
  const summary = await runSimulation(options, process.env, { err: process.stderr, interrupt: interrupt.signal });
  process.stdout.write(`\n${formatSummary(summary)}`);
  if (options.json !== undefined) {
    await writeFile(options.json, `${JSON.stringify(summary, null, 2)}\n`);
    process.stderr.write(`summary written to ${options.json}\n`);
  }
  return summary.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
