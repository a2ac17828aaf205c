import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The processes of a run are detached (Ctrl-C must reach the launcher alone, which stops them in order), so a
 * launcher that was killed outright leaves them running. Each is recorded in ARREARS_HOME/run/<name>.pid with a
 * text its command line contains; the next start stops what is still running there, and only that.
 */

interface PidRecord {
  readonly pid: number;
  readonly marker: string;
}

export function recordPid(dir: string, name: string, pid: number, marker: string): void {
  writeFileSync(path.join(dir, `${name}.pid`), JSON.stringify({ pid, marker } satisfies PidRecord));
}

export function forgetPid(dir: string, name: string): void {
  rmSync(path.join(dir, `${name}.pid`), { force: true });
}

/** The recorded process if it still runs with the command it was recorded with (pids are reused). */
export function livePid(dir: string, name: string): number | undefined {
  const file = path.join(dir, `${name}.pid`);
  if (!existsSync(file)) return undefined;
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
  return Number.isInteger(record.pid) && commandOf(record.pid)?.includes(record.marker) ? record.pid : undefined;
}

/** Stops every recorded process still running (SIGTERM to its group, SIGKILL after `graceMs`); returns their names. */
export async function stopLeftovers(dir: string, except: readonly string[] = [], graceMs = 15_000): Promise<string[]> {
  const stopped: string[] = [];
  for (const file of readdirSync(dir).filter((entry) => entry.endsWith('.pid'))) {
    const name = file.slice(0, -'.pid'.length);
    if (except.includes(name)) continue;
    const pid = livePid(dir, name);
    if (pid !== undefined) {
      stopped.push(`${name} (pid ${pid})`);
      signalGroup(pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
    }
    forgetPid(dir, name);
  }
  return stopped;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A detached child leads its own process group: signalling the group reaches what it started too. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function commandOf(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
