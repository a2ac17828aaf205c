import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A mistake on a benchmark's command line: reported as its message alone, with the usage. */
export class UsageError extends Error {}

export interface BenchArguments {
  readonly quick: boolean;
  /** Where to write the figures as JSON, if asked (`--json` alone: `bench-results/<name>-<time>.json`). */
  readonly jsonFile: string | undefined;
}

/**
 * The flags every `npm run bench:*` takes — `--quick`, `--json [FILE]`, `--help` — and any of its own through
 * `other(arg, next)`, which returns how many arguments it consumed (0: not one of its flags).
 */
export function parseBenchArguments(
  argv: readonly string[],
  name: string,
  usage: string,
  other: (arg: string, next: string | undefined) => number = () => 0,
): BenchArguments | 'help' {
  let quick = false;
  let jsonFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--quick') quick = true;
    else if (arg === '--json') {
      jsonFile = next !== undefined && !next.startsWith('--') ? (i++, next) : `bench-results/${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    } else {
      const used = other(arg, next);
      if (used === 0) throw new UsageError(`Unknown argument ${JSON.stringify(arg)}\n${usage}`);
      i += used - 1;
    }
  }
  return { quick, jsonFile };
}

/** Writes a benchmark's figures as JSON, making the folder if needed. */
export function writeBenchJson(file: string, figures: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
}
