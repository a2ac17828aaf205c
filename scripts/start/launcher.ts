import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseStartArgs, USAGE, type StartOptions } from './args';
import { arrearsHome, homeLayout, prepareHome, readState, writeState, type HomeLayout } from './home';
import { startRelayInProcess, startServiceInProcess, gatewayStart } from './in-process';
import { chooseNats, EMBEDDED_NATS_VARIABLE, NO_NATS_SERVER, startEmbeddedNats, startEmbeddedPostgres, startNatsServer } from './infrastructure';
import { ensureDashboardBuilt } from './dashboard';
import { ensureSecrets } from './keys';
import { Output, ProcessLog } from './output';
import { ChildPart, type Part } from './parts';
import { forgetPid, livePid, recordPid, stopLeftovers } from './pid-files';
import { DEFAULT_GATEWAY_PORT, GATEWAY, nodeCommand, platformEnv, platformProcesses, processEnv, readinessUrl, redactUrl, type ProcessSpec, type RunPorts, type ServiceName } from './plan';
import { freePorts, isPortFree } from './ports';
import { waitUntilReady } from './ready';

const REPO_ROOT = path.resolve(__dirname, '../..');
/** Wide enough for every process's name (`legal-escalation`), so their lines start in one column. */
const NAME_WIDTH = 16;
const READY_TIMEOUT_MS = 180_000;
/** What the launcher's own command line contains: how a second launcher on the same ARREARS_HOME recognises it. */
const LAUNCHER_MARKER = 'scripts/start.ts';
const SIGNAL_REPEAT_MS = 1_000;

/** `npm start [-- --single-process]`; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const layout = homeLayout(arrearsHome(process.env, process.cwd()));
  prepareHome(layout);
  return new Launcher(layout, new Output(NAME_WIDTH), options).run();
}

interface Endpoints {
  databaseUrl: string;
  embeddedPostgres: boolean;
  natsUrl: string;
  /** Which NATS this run started itself, if any. */
  ownNats: 'nats-server' | 'embedded' | undefined;
  gatewayPort?: number;
  /** The dashboard was built, so the gateway serves it at `/`. */
  dashboard?: boolean;
  health: string[];
  keys: string;
}

class Launcher {
  private readonly gateway: Part[] = [];
  private readonly services: Part[] = [];
  private readonly relay: Part[] = [];
  private readonly infrastructure: Part[] = [];
  private readonly logs = new Map<string, ProcessLog>();
  private readonly halted: Promise<string>;
  private halt: (reason: string) => void = () => undefined;
  private failure: string | undefined;
  private signals = 0;
  private firstSignalAt = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly layout: HomeLayout,
    private readonly output: Output,
    private readonly options: StartOptions,
  ) {
    this.halted = new Promise((resolve) => (this.halt = resolve));
  }

  async run(): Promise<number> {
    const other = livePid(this.layout.run, 'launcher');
    if (other !== undefined) {
      this.say(`Arrears is already running from ${shown(this.layout.root)} (npm start, pid ${other}). Stop it first, or set ARREARS_HOME to another folder.`);
      return 1;
    }
    recordPid(this.layout.run, 'launcher', process.pid, LAUNCHER_MARKER);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => this.onSignal(signal));
    process.on('exit', () => this.killAll());
    try {
      const endpoints = await this.start();
      if (endpoints !== undefined) {
        this.summary(endpoints);
        await this.halted;
      }
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
    const clean = await this.shutdown();
    await Promise.all([...this.logs.values()].map((log) => log.close()));
    forgetPid(this.layout.run, 'launcher');
    const seconds = `${Math.round((Date.now() - this.startedAt) / 1_000)} s after start`;
    if (this.failure !== undefined) {
      this.say(`stopped because ${this.failure.split('\n')[0]} (${seconds}); exit code 1`);
      return 1;
    }
    this.say(clean ? `stopped cleanly (${seconds})` : `stopped, but not everything cleanly (see above; logs in ${shown(this.layout.logs)})`);
    return clean ? 0 : 1;
  }

  /** Everything up and ready, or undefined when told to stop on the way. */
  private async start(): Promise<Endpoints | undefined> {
    const { layout } = this;
    const leftovers = await stopLeftovers(layout.run, ['launcher']);
    if (leftovers.length > 0) this.say(`stopped what an earlier run left running: ${leftovers.join(', ')}`);

    const secrets = ensureSecrets(layout.keys, process.env);
    const fromFiles = Object.keys(secrets.env);
    const keys =
      secrets.generated.length > 0
        ? `generated into ${shown(layout.keys)} (kept for the next start): ${fromFiles.join(', ')}`
        : fromFiles.length > 0
          ? `from ${shown(layout.keys)}: ${fromFiles.join(', ')}`
          : 'all given in the environment';
    if (secrets.generated.length > 0) this.say(`keys ${keys}`);

    const state = readState(layout.state);
    const nats = chooseNats(process.env);
    const withGateway = existsSync(path.join(REPO_ROOT, GATEWAY.script));
    if (!withGateway) this.say(`${GATEWAY.script} does not exist yet: starting without the gateway (no HTTP API)`);
    const gatewayPort = withGateway ? await this.gatewayPort() : DEFAULT_GATEWAY_PORT;
    const dashboard = withGateway && ensureDashboardBuilt(REPO_ROOT, (text) => this.say(text));

    const context = { layout, state, repoRoot: REPO_ROOT, output: this.output, halted: this.halted };
    const givenDatabaseUrl = process.env['DATABASE_URL'] ?? '';
    const embedded = givenDatabaseUrl === '';
    let databaseUrl = givenDatabaseUrl;
    let postgresPort = state.postgresPort;
    if (embedded) {
      const postgres = await startEmbeddedPostgres(context);
      this.watch(postgres.part, this.infrastructure);
      ({ url: databaseUrl, port: postgresPort } = postgres);
      if (this.stopping) return undefined;
      this.say(`PostgreSQL is ready on 127.0.0.1:${postgres.port}${postgres.created ? ' (a new, empty database)' : ' (the data of earlier runs)'}`);
    } else {
      this.say(`PostgreSQL: DATABASE_URL ${redactUrl(databaseUrl)}`);
    }
    let natsUrl = nats.kind === 'given' ? nats.url : '';
    let natsPort = state.natsPort;
    if (nats.kind === 'given') {
      this.say(`NATS: NATS_URL ${natsUrl}`);
    } else {
      if (nats.kind === 'embedded') this.say(nats.why === 'asked' ? `NATS: ${EMBEDDED_NATS_VARIABLE} is set: using the embedded NATS server` : NO_NATS_SERVER);
      const started = nats.kind === 'embedded' ? await startEmbeddedNats(context) : await startNatsServer(nats.binary, context);
      this.watch(started.part, this.infrastructure);
      ({ url: natsUrl, port: natsPort } = started);
      if (this.stopping) return undefined;
      this.say(`NATS is ready on ${started.url}`);
    }
    writeState(layout.state, { ...(postgresPort ? { postgresPort } : {}), ...(natsPort ? { natsPort } : {}) });

    const env = platformEnv(process.env, { databaseUrl, natsUrl, secrets: secrets.env });
    const specs = platformProcesses().filter((spec) => withGateway || spec.role !== 'gateway');
    const health: Record<string, number> = {};
    // The gateway's port is not bound until the gateway starts: no health port may be it.
    const healthPorts = await freePorts(specs.length, [gatewayPort]);
    specs.forEach((spec, index) => (health[spec.name] = healthPorts[index] as number));
    const ports: RunPorts = { health, gateway: gatewayPort };
    if (this.options.singleProcess) {
      // The relay and the services read NATS_URL and the rest from process.env too: this process is theirs now.
      Object.assign(process.env, env);
      this.say('--single-process: the relay, every service and the gateway run inside this process');
    }

    // The relay migrates the event store and creates the streams: the services start once it answers.
    const [relaySpec, ...rest] = specs as [ProcessSpec, ...ProcessSpec[]];
    this.say(`starting the relay`);
    const relay = await this.launch(relaySpec, env, ports);
    this.watch(relay, this.relay);
    if (!(await waitUntilReady([{ part: relay, url: readinessUrl(relaySpec, ports) }], this.output, this.halted, READY_TIMEOUT_MS))) return undefined;

    this.say(`starting ${rest.map((spec) => spec.name).join(', ')}`);
    const targets = [];
    for (const spec of rest) {
      const part = await this.launch(spec, env, ports);
      this.watch(part, spec.role === 'gateway' ? this.gateway : this.services);
      targets.push({ part, url: readinessUrl(spec, ports) });
    }
    if (!(await waitUntilReady(targets, this.output, this.halted, READY_TIMEOUT_MS))) return undefined;

    return {
      databaseUrl,
      embeddedPostgres: embedded,
      natsUrl,
      ownNats: nats.kind === 'given' ? undefined : nats.kind,
      ...(withGateway ? { gatewayPort, dashboard } : {}),
      health: specs.map((spec) => `${spec.name} :${health[spec.name]}`),
      keys,
    };
  }

  /** A process of the platform: a child process, or with --single-process a part of this one where it can be. */
  private async launch(spec: ProcessSpec, env: NodeJS.ProcessEnv, ports: RunPorts): Promise<Part> {
    const log = new ProcessLog(spec.name, this.layout.logs, this.output);
    this.logs.set(spec.name, log);
    const ownEnv = processEnv(spec, env, ports);
    if (this.options.singleProcess) {
      if (spec.role === 'relay') return startRelayInProcess(ports.health[spec.name] as number, log, this.output);
      if (spec.role === 'service') return startServiceInProcess(spec.name, spec.name as ServiceName, ownEnv, log, this.output);
      return startServiceInProcess(spec.name, await gatewayStart(), ownEnv, log, this.output);
    }
    const { command, args } = nodeCommand(spec, REPO_ROOT);
    return new ChildPart({ name: spec.name, command, args, env: ownEnv, cwd: REPO_ROOT, log, output: this.output, runDir: this.layout.run, marker: args[2] ?? spec.script });
  }

  private async gatewayPort(): Promise<number> {
    const given = process.env['ARREARS_GATEWAY_PORT'];
    const port = given === undefined || given === '' ? DEFAULT_GATEWAY_PORT : Number(given);
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`ARREARS_GATEWAY_PORT must be a port number, not "${given}"`);
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} is in use, and the gateway listens there: stop what uses it, or set ARREARS_GATEWAY_PORT to another port.`);
    }
    return port;
  }

  /** Keeps `part` for the shutdown, and stops everything if it ends without being asked to. */
  private watch(part: Part, group: Part[]): void {
    group.push(part);
    void part.ended.then((how) => {
      const tail = this.logs.get(part.name)?.tail();
      this.fail(`${part.name} ${how}`, tail ? `its last lines (all of them in ${this.logs.get(part.name)?.file}):\n${tail}` : undefined);
    });
  }

  private get stopping(): boolean {
    return this.failure !== undefined || this.signals > 0;
  }

  private fail(reason: string, detail?: string): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    if (this.signals === 0) this.say(detail === undefined ? reason : `${reason}; ${detail}`);
    this.say('stopping everything');
    this.halt(reason);
  }

  private onSignal(signal: NodeJS.Signals): void {
    // `tsx` (npm start's runner) passes a Ctrl-C on to this process when it does not hear within 30 ms that this
    // process got it from the terminal too: one Ctrl-C can arrive twice. A repeat within a second is the same one.
    if (this.signals > 0 && Date.now() - this.firstSignalAt < SIGNAL_REPEAT_MS) return;
    if (this.signals === 0) this.firstSignalAt = Date.now();
    this.signals += 1;
    if (this.signals === 1) {
      this.say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping everything in order (services, relay, NATS and PostgreSQL); Ctrl-C again kills`);
      this.halt(signal);
      return;
    }
    this.say('killing everything');
    this.killAll();
    process.exit(130);
  }

  /** Services first (they drain while NATS and PostgreSQL still answer), then the relay, then the servers. */
  private async shutdown(): Promise<boolean> {
    let clean = true;
    for (const parts of [this.gateway, this.services, this.relay, this.infrastructure]) {
      if (parts.length === 0) continue;
      this.say(`stopping ${parts.map((part) => part.name).join(', ')}`);
      const results = await Promise.all(parts.map((part) => part.stop()));
      clean &&= results.every(Boolean);
    }
    return clean;
  }

  private killAll(): void {
    for (const part of [...this.gateway, ...this.services, ...this.relay, ...this.infrastructure]) part.kill();
  }

  private summary(endpoints: Endpoints): void {
    const seconds = Math.round((Date.now() - this.startedAt) / 100) / 10;
    const lines = [`Arrears is running${this.options.singleProcess ? ' in this one process' : ''}, ready in ${seconds} s:`];
    if (endpoints.gatewayPort !== undefined) {
      const base = `http://localhost:${endpoints.gatewayPort}`;
      const nodeEnv = process.env['NODE_ENV'] ?? 'development';
      lines.push(
        ...(endpoints.dashboard === true ? [`  Dashboard    ${base}/ (sign in with a role token)`] : []),
        `  API          ${base}/api`,
        `  OpenAPI      ${base}/docs`,
        `  Health       ${base}/health/ready`,
        nodeEnv === 'development'
          ? '  Tokens       the gateway printed a development token for each role above ([gateway] Development tokens)'
          : `  Tokens       none printed: NODE_ENV is ${nodeEnv} (the gateway prints them under development)`,
      );
    } else {
      lines.push(`  API          none: ${GATEWAY.script} does not exist yet`);
    }
    lines.push(
      `  PostgreSQL   ${redactUrl(endpoints.databaseUrl)}${!endpoints.embeddedPostgres ? '' : ` (embedded, data in ${shown(this.layout.postgres)}, password in ${shown(this.layout.keys)})`}`,
      `  NATS         ${endpoints.natsUrl}${natsNote(endpoints.ownNats, this.layout)}`,
      `  Keys         ${endpoints.keys}`,
      `  Health       ${endpoints.health.join(', ')}`,
      `  Logs         ${shown(this.layout.logs)}/<name>.log`,
      'Ctrl-C stops everything; a second Ctrl-C kills.',
    );
    this.say(lines.join('\n'));
  }

  private say(text: string): void {
    this.output.say(text);
  }
}

function natsNote(own: Endpoints['ownNats'], layout: HomeLayout): string {
  if (own === 'nats-server') return ` (nats-server, JetStream store in ${shown(layout.nats)})`;
  if (own === 'embedded') return ` (the embedded NATS server in this process, JetStream store in ${shown(layout.embeddedNats)})`;
  return '';
}

/** A path as the person at the terminal reads it best: relative when it is under the working directory. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
