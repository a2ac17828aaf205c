// `npm start [-- --single-process]`: the whole platform with one command (README, "Quick start"; scripts/start/).
import { main } from './start/launcher';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
