import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Collects garbage, so a timed run does not pay for what the one before it left on the heap. Benchmarks run under
 * plain `tsx`, so the collector is exposed here (on first use) rather than with a flag.
 */
export function collectGarbage(): void {
  gc ??= exposeGc();
  gc();
}

function exposeGc(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
}
