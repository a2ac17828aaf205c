import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceleratedClockEnv, acceleratedClockOf, platformClock } from '@arrears/platform';
import { DEVELOPMENT_JWT_SECRET, JWT_SECRET_ENV } from '../../services/gateway/src/auth/tokens';
import { freePort } from '../start/ports';
import type { SimulationOptions } from './options';

const REPO_ROOT = path.resolve(__dirname, '../..');
const LAUNCHER = path.join(REPO_ROOT, 'scripts/start.ts');

/** The platform a simulation runs against. */
export interface RunningPlatform {
  readonly gatewayUrl: string;
  readonly jwtSecret: string;
  /** The clock the platform's processes read (`ARREARS_CLOCK_*`): the simulator reads the same. */
  readonly clock: () => Date;
  /** Simulated seconds per real second of that clock. */
  readonly speed: number;
  stop(): Promise<void>;
}

/**
 * A platform already running (`--gateway`): its clock is the one `ARREARS_CLOCK_*` describe here (the same variables
 * it was started with; unset, the real clock, which runs at 1×), its tokens signed with `ARREARS_JWT_SECRET` (the
 * development secret when unset).
 */
export function connectPlatform(options: SimulationOptions, env: NodeJS.ProcessEnv, log: (message: string) => void): RunningPlatform {
  const speed = acceleratedClockOf(env)?.speed ?? 1;
  if (speed !== options.speed) log(`the platform's clock runs at ${speed}× (ARREARS_CLOCK_SPEED${speed === 1 ? ' unset' : ''}): simulating at that speed, not ${options.speed}×`);
  return { gatewayUrl: options.gateway!, jwtSecret: env[JWT_SECRET_ENV]?.trim() || DEVELOPMENT_JWT_SECRET, clock: platformClock(env), speed, stop: async () => undefined };
}

/**
 * Starts the platform through the launcher (`npm start`, scripts/start.ts) with the accelerated clock: the launcher
 * gives its environment to every process, so all get the same `ARREARS_CLOCK_*` (start, speed, the real instant of
 * the start) and read one simulated time. Embedded PostgreSQL and nats-server unless DATABASE_URL / NATS_URL are
 * set, as `npm start` does, in a home of this run (`.arrears/simulate/<run>/`, its logs kept there); the gateway on a
 * free port with a secret of this run; the daily review every simulated hour (an accelerated day would otherwise
 * pass between two reviews).
 */
export async function launchPlatform(options: SimulationOptions, env: NodeJS.ProcessEnv, log: (message: string) => void): Promise<RunningPlatform> {
  const anchorMs = Date.now();
  const clockEnv = acceleratedClockEnv({ start: options.start ?? new Date(anchorMs).toISOString(), speed: options.speed, anchorMs });
  const home = path.join(REPO_ROOT, '.arrears', 'simulate', new Date(anchorMs).toISOString().replace(/[:.]/g, '-'));
  mkdirSync(home, { recursive: true });
  const logFile = path.join(home, 'launcher.log');
  const port = await freePort();
  const jwtSecret = `simulator-${randomUUID()}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    ...clockEnv,
    ARREARS_HOME: home,
    ARREARS_GATEWAY_PORT: String(port),
    ARREARS_GATEWAY_HOST: '127.0.0.1',
    [JWT_SECRET_ENV]: jwtSecret,
    ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS: env['ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS'] ?? String(Math.max(250, Math.round(3_600_000 / options.speed))),
  };
  const logStream = createWriteStream(logFile, { flags: 'a' });
  // A group of its own: a Ctrl-C at the terminal is the simulator's to handle (it still gathers the summary from the
  // platform), and the launcher is stopped when the simulator is done — or exits, whatever the reason.
  const launcher = spawn(process.execPath, ['--import', 'tsx', LAUNCHER, ...(options.singleProcess ? ['--single-process'] : [])], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const onExit = () => launcher.kill('SIGTERM');
  process.once('exit', onExit);
  launcher.stdout?.pipe(logStream, { end: false });
  launcher.stderr?.pipe(logStream, { end: false });
  log(`the platform's logs: ${path.relative(process.cwd(), home)}/`);
  const gatewayUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', onExit);
    await stopChild(launcher);
    await new Promise<void>((resolve) => logStream.end(resolve));
    // The embedded servers' data is this run's alone; the logs stay for a look.
    for (const data of ['postgres', 'nats']) rmSync(path.join(home, data), { recursive: true, force: true });
  };
  try {
    await gatewayReady(gatewayUrl, launcher, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl, jwtSecret, clock: platformClock(clockEnv), speed: options.speed, stop };
}

async function gatewayReady(url: string, launcher: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (launcher.exitCode !== null || launcher.signalCode !== null) throw new Error(`the launcher stopped before the gateway answered (exit ${launcher.exitCode ?? launcher.signalCode}); see ${logFile}`);
    try {
      const response = await fetch(`${url}/docs/json`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error(`the gateway did not answer at ${url} within 5 minutes; see ${logFile}`);
}

/** SIGTERM (the launcher stops everything in order), then SIGKILL after 60 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const patience = new AbortController();
  const killed = sleep(60_000, undefined, { signal: patience.signal }).then(
    () => void child.kill('SIGKILL'),
    () => undefined,
  );
  await Promise.race([exited, killed]);
  patience.abort();
}
