import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Share of all cores busy over `ms`: run before a benchmark to see whether the machine is quiet. */
export async function backgroundLoad(ms = 1_000): Promise<number> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineTicks();
  return (after.busy - before.busy) / Math.max(1, after.total - before.total);
}

/** Busy and total CPU ticks of the whole machine, from the first line of /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** User + system CPU ticks of each process, from /proc/<pid>/stat; a process that is gone (or elsewhere) is left out. */
export function processTicks(pids: readonly number[]): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12])); // utime, stime (fields 14 and 15)
    } catch {
      // the process exited, or runs on another machine: its CPU is not counted
    }
  }
  return ticks;
}

/** The processes on this machine whose command name (/proc/<pid>/comm) is `name`, with their command lines. */
export function processesNamed(name: string): { pid: number; args: string[] }[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== name) return [];
      return [{ pid: Number(entry), args: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean) }];
    } catch {
      return [];
    }
  });
}

/** Clock ticks per second, the unit of /proc's CPU times. */
export const CLOCK_TICKS = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
