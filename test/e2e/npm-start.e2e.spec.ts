/**
 * `npm start` on a fresh machine, as a person runs it: the real script in a child process, with DATABASE_URL and
 * NATS_URL unset, so it brings up its own PostgreSQL and nats-server with their data in a fresh ARREARS_HOME (never
 * the machine's servers), then the relay, every service and the gateway. Ctrl-C stops it cleanly; a second start on
 * the same ARREARS_HOME finds the data of the first. Under ARREARS_E2E_NATS=embedded (npm run test:e2e:embedded-nats) it
 * asks for the embedded NATS server (ARREARS_EMBEDDED_NATS=1) — what a machine without nats-server gets — instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '@arrears/testing';
import { isAlive, stopLeftovers } from '../../scripts/start/pid-files';
import { freePort, isPortFree } from '../../scripts/start/ports';

const REPO_ROOT = path.resolve(__dirname, '../..');
const START_TIMEOUT_MS = 240_000;
/** The embedded NATS server runs inside the launcher: one process fewer than with nats-server. */
const EMBEDDED_NATS = process.env['ARREARS_E2E_NATS'] === 'embedded';
const NATS_PROCESSES = EMBEDDED_NATS ? 0 : 1;

/** `npm start` in a process group of its own, so that a Ctrl-C can be sent the way a terminal sends it: to the group. */
class NpmStart {
  private readonly child: ChildProcess;
  private text = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: NodeJS.ProcessEnv, args: readonly string[] = []) {
    this.child = spawn('npm', ['start', ...(args.length > 0 ? ['--', ...args] : [])], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    // npm can end before the launcher it started has finished stopping (and 'exit' can come before the last output is
    // read): the result waits for the pipes to close too, which the launcher holds until it ends — a minute at most;
    // something still holding them then is caught by the pid checks.
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        const resolved = () => resolve({ code, signal });
        void Promise.race([closed, new Promise((wait) => setTimeout(wait, 60_000))]).then(resolved);
      }),
    );
  }

  get output(): string {
    return this.text;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first line matching `pattern`, once printed; fails when npm start exits or `timeoutMs` passes first. */
  async line(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.text.split('\n').map((line) => line.match(pattern)).find((found) => found !== null);
      if (match) return match;
      if (!this.running) throw new Error(`npm start exited before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern} within ${timeoutMs / 1_000} s:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Ctrl-C: SIGINT to the whole foreground group (npm, tsx, the launcher), as a terminal does. */
  interrupt(): void {
    if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGINT');
  }

  kill(): void {
    if (this.child.pid !== undefined && this.running) process.kill(-this.child.pid, 'SIGKILL');
  }

  tail(lines = 60): string {
    return this.text.split('\n').slice(-lines).join('\n');
  }
}

/** The environment of a person who has set nothing: no database, no NATS, no keys, no NODE_ENV. */
function freshMachineEnv(home: string, gatewayPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'DATABASE_URL' || name === 'NATS_URL' || name === 'NODE_ENV' || name.startsWith('ARREARS_')) continue;
    env[name] = value;
  }
  return { ...env, ARREARS_HOME: home, ARREARS_GATEWAY_PORT: String(gatewayPort), ...(EMBEDDED_NATS ? { ARREARS_EMBEDDED_NATS: '1' } : {}) };
}

interface Running {
  readonly start: NpmStart;
  readonly api: string;
  /** The gateway's own health server (ARREARS_HEALTH_PORT, given out by the launcher). */
  readonly gatewayHealth: string;
  readonly token: (role: string) => string;
}

describe('npm start', () => {
  let home: string;
  let gatewayPort: number;
  let current: NpmStart | undefined;

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'arrears-npm-start-'));
    // As root the embedded PostgreSQL runs as the user postgres, which must be able to enter ARREARS_HOME.
    chmodSync(home, 0o755);
    gatewayPort = await freePort();
  });

  /** After a failed test: whatever still runs is stopped, so the next start does not meet it. */
  async function ensureStopped(): Promise<void> {
    if (current?.running) {
      current.interrupt();
      const stopped = await Promise.race([current.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 60_000))]);
      if (!stopped) current.kill();
    }
  }

  afterAll(async () => {
    await ensureStopped();
    // Whatever a failed run left behind: the processes recorded in ARREARS_HOME/run.
    if (existsSync(path.join(home, 'run'))) await stopLeftovers(path.join(home, 'run'), [], 5_000);
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  async function startPlatform(args: readonly string[] = []): Promise<Running> {
    await ensureStopped();
    const start = new NpmStart(freshMachineEnv(home, gatewayPort), args);
    current = start;
    await start.line(/Arrears is running(, | in this one process, )ready in/);
    const healthPort = (await start.line(/Health .*gateway :(\d+)/, 1_000))[1];
    const tokens = new Map([...start.output.matchAll(/(?:\[gateway\])?[ \t]+(\w+)[ \t]+(eyJ[\w.-]+)/g)].map((match) => [match[1] as string, match[2] as string]));
    return {
      start,
      api: `http://127.0.0.1:${gatewayPort}`,
      gatewayHealth: `http://127.0.0.1:${healthPort}`,
      token: (role) => {
        const token = tokens.get(role);
        if (token === undefined) throw new Error(`the gateway printed no development token for ${role}:\n${start.tail()}`);
        return token;
      },
    };
  }

  /** Ctrl-C, then the checks of a clean stop: the launcher said so, npm ended, nothing is left running. */
  async function stopPlatform(running: Running, processes: number): Promise<void> {
    const { start } = running;
    const recorded = pidsRecorded();
    running.start.interrupt();
    const { code, signal } = await start.exited;
    expect(start.output).toMatch(/stopped cleanly/);
    expect(start.output).not.toMatch(/killing everything|did not stop|not everything cleanly/);
    // npm re-raises the SIGINT it got with the group rather than returning the launcher's exit code 0.
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    // The launcher, PostgreSQL, nats-server (unless embedded) and what runs as a process of its own.
    expect(recorded).toHaveLength(processes);
    for (const pid of recorded) expect(isAlive(pid)).toBe(false);
    expect(readdirSync(path.join(home, 'run'))).toEqual([]);
    const state = JSON.parse(readFileSync(path.join(home, 'state.json'), 'utf8')) as { postgresPort: number; natsPort: number };
    expect(await isPortFree(state.postgresPort)).toBe(true);
    expect(await isPortFree(state.natsPort)).toBe(true);
  }

  function pidsRecorded(): number[] {
    const dir = path.join(home, 'run');
    return readdirSync(dir).map((file) => (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { pid: number }).pid);
  }

  async function api(running: Running, method: string, route: string, role: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${running.api}${route}`, {
      method,
      headers: { authorization: `Bearer ${running.token(role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const accountId = randomUUID();

  it('brings up PostgreSQL, NATS, the relay, every service and the gateway on a fresh machine, and stops them all on Ctrl-C', async () => {
    const running = await startPlatform();
    const { output } = running.start;
    expect(output).toMatch(/creating a new cluster/);
    expect(output).toMatch(/keys generated into/);
    expect(output).toMatch(EMBEDDED_NATS ? /NATS: starting the embedded NATS server \(in this process\)/ : /NATS: starting \S*nats-server with JetStream/);
    for (const name of ['relay', 'accounts', 'contact-attempts', 'promises-to-pay', 'payment-plans', 'case-workflow', 'legal-escalation', 'audit', 'gateway']) {
      expect(output).toMatch(new RegExp(`\\[start\\]\\s+${name} is ready`));
    }
    expect(output).toContain(`API          http://localhost:${gatewayPort}`);

    const ready = await fetch(`${running.gatewayHealth}/health/ready`);
    expect((await fetch(`${running.api}/health/ready`)).status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { service: { status: 'up' }, database: { status: 'up' }, nats: { status: 'up' } } });

    const placed = await api(running, 'POST', '/api/accounts', 'supervisor', {
      accountId,
      creditor: { creditorId: 'acme', name: 'Acme Bank' },
      creditorReference: `CC-${accountId.slice(0, 8)}`,
      product: 'credit-card',
      currency: 'USD',
      principal: 120_000,
      fees: 0,
      interest: 0,
      daysPastDue: 45,
      debtor: { debtorId: randomUUID(), name: 'Ada Example', phones: [{ number: '+1 312 555 0142', kind: 'mobile' }], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
    });
    expect(placed).toMatchObject({ status: 201, body: { events: expect.arrayContaining([expect.objectContaining({ type: 'AccountPlaced' })]) } });
    // Through the relay, JetStream and the accounts read model, back out through the gateway.
    await eventually(async () => expect((await api(running, 'GET', `/api/accounts/${accountId}`, 'supervisor')).status).toBe(200), { timeoutMs: 30_000, intervalMs: 250 });

    await stopPlatform(running, 11 + NATS_PROCESSES);
  }, 420_000);

  it('starts again on the same ARREARS_HOME and finds its data and keys', async () => {
    const running = await startPlatform();
    const { output } = running.start;
    expect(output).toMatch(/PostgreSQL is ready on 127\.0\.0\.1:\d+ \(the data of earlier runs\)/);
    expect(output).not.toMatch(/creating a new cluster|keys generated into/);

    const detail = await api(running, 'GET', `/api/accounts/${accountId}`, 'supervisor');
    expect(detail).toMatchObject({ status: 200, body: { summary: expect.objectContaining({ accountId }) } });
    const paid = await api(running, 'POST', `/api/accounts/${accountId}/payments`, 'supervisor', { paymentReference: `PAY-${accountId.slice(0, 8)}`, amount: { minor: 10_000, currency: 'USD' }, receivedOn: new Date().toISOString().slice(0, 10) });
    expect(paid.status).toBe(200);

    await stopPlatform(running, 11 + NATS_PROCESSES);
  }, 420_000);

  it('runs the relay and every service inside one process with --single-process', async () => {
    const running = await startPlatform(['--single-process']);
    const { output } = running.start;
    expect(output).toMatch(/--single-process: the relay, every service and the gateway run inside this process/);
    expect(output).not.toMatch(/\/services\/accounts\/src\/main\.ts/);
    expect((await fetch(`${running.gatewayHealth}/health/ready`)).status).toBe(200);
    const detail = await api(running, 'GET', `/api/accounts/${accountId}`, 'supervisor');
    expect(detail).toMatchObject({ status: 200, body: { summary: expect.objectContaining({ accountId }) } });

    // The launcher, PostgreSQL and nats-server (unless embedded): the gateway too runs inside the launcher.
    expect((await fetch(`${running.api}/health/ready`)).status).toBe(200);
    await stopPlatform(running, 2 + NATS_PROCESSES);
    expect(running.start.output).toMatch(/stopping relay[\s\S]*stopping postgres, nats/);
  }, 420_000);
});
