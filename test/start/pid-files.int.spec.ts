import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAlive, livePid, recordPid, stopLeftovers } from '../../scripts/start/pid-files';

/** What `npm start` does about the processes a launcher killed outright left running (they are detached). */
describe('npm start: processes an earlier run left behind', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'arrears-run-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function detachedSleep(): number {
    const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    child.unref();
    if (child.pid === undefined) throw new Error('sleep did not start');
    return child.pid;
  }

  it('stops a recorded process that still runs with the command it was recorded with, and forgets it', async () => {
    const pid = detachedSleep();
    recordPid(dir, 'accounts', pid, 'sleep 300');
    expect(livePid(dir, 'accounts')).toBe(pid);
    expect(await stopLeftovers(dir)).toEqual([`accounts (pid ${pid})`]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(pid)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves alone a pid that now belongs to another program, and one it is told to keep', async () => {
    const other = detachedSleep();
    const kept = detachedSleep();
    try {
      recordPid(dir, 'relay', other, 'cli/arrears.ts relay run');
      recordPid(dir, 'launcher', kept, 'sleep 300');
      expect(livePid(dir, 'relay')).toBeUndefined();
      expect(await stopLeftovers(dir, ['launcher'])).toEqual([]);
      expect(isAlive(other)).toBe(true);
      expect(isAlive(kept)).toBe(true);
      expect(readdirSync(dir)).toEqual(['launcher.pid']);
    } finally {
      process.kill(other, 'SIGKILL');
      process.kill(kept, 'SIGKILL');
    }
  });
});
