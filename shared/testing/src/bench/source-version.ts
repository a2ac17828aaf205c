import { execFileSync } from 'node:child_process';

/**
 * Which code was measured: the commit, and any uncommitted changes to `pathspecs` (git pathspecs, relative to the
 * repository root) at the time of the run. The figures are tied to what they measured, not to the benchmark.
 */
export function sourceVersion(pathspecs: readonly string[]): { commit: string; uncommittedChanges: string[] } {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd();
  try {
    const changed = git('status', '--porcelain', '--untracked-files=all', '--', ...pathspecs);
    return { commit: git('rev-parse', 'HEAD'), uncommittedChanges: changed.split('\n').filter(Boolean).map((line) => line.slice(3)) };
  } catch {
    return { commit: 'unknown', uncommittedChanges: [] };
  }
}
