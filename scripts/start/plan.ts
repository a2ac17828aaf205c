import path from 'node:path';

/** What the launcher runs, in the order it starts them; each reports readiness over HTTP. */
export interface ProcessSpec {
  readonly name: string;
  readonly role: 'relay' | 'service' | 'gateway';
  /** The program, relative to the repository root, and its arguments. */
  readonly script: string;
  readonly args: readonly string[];
}

export const SERVICE_NAMES = ['accounts', 'contact-attempts', 'promises-to-pay', 'payment-plans', 'case-workflow', 'legal-escalation', 'audit'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const RELAY: ProcessSpec = { name: 'relay', role: 'relay', script: 'cli/arrears.ts', args: ['relay', 'run'] };
export const GATEWAY: ProcessSpec = { name: 'gateway', role: 'gateway', script: 'services/gateway/src/main.ts', args: [] };
export const DEFAULT_GATEWAY_PORT = 3000;

/** The relay, every service, the gateway. */
export function platformProcesses(): ProcessSpec[] {
  return [RELAY, ...SERVICE_NAMES.map((name): ProcessSpec => ({ name, role: 'service', script: `services/${name}/src/main.ts`, args: [] })), GATEWAY];
}

/** The ports one run gives out: each process's health port, and the gateway's API. */
export interface RunPorts {
  readonly health: Readonly<Record<string, number>>;
  readonly gateway: number;
}

/**
 * A process's environment: the platform's (database, NATS, keys, NODE_ENV) plus its own health port — the relay's
 * under its own variable (`/health`), a service's and the gateway's as ARREARS_HEALTH_PORT (`/health/ready`).
 */
export function processEnv(spec: ProcessSpec, platform: NodeJS.ProcessEnv, ports: RunPorts): NodeJS.ProcessEnv {
  const port = String(healthPortOf(spec, ports));
  if (spec.role === 'relay') return { ...platform, ARREARS_RELAY_HEALTH_PORT: port };
  return { ...platform, ARREARS_HEALTH_PORT: port, ...(spec.role === 'gateway' ? { ARREARS_GATEWAY_PORT: String(ports.gateway) } : {}) };
}

/** Where the launcher asks whether a process is ready: the relay's `/health`, everyone else's `/health/ready`. */
export function readinessUrl(spec: ProcessSpec, ports: RunPorts): string {
  return `http://127.0.0.1:${healthPortOf(spec, ports)}${spec.role === 'relay' ? '/health' : '/health/ready'}`;
}

function healthPortOf(spec: ProcessSpec, ports: RunPorts): number {
  const port = ports.health[spec.name];
  if (port === undefined) throw new Error(`no health port was given out for ${spec.name}`);
  return port;
}

/** The environment every process shares: what was given, plus what the launcher started or generated. */
export function platformEnv(given: NodeJS.ProcessEnv, additions: { readonly databaseUrl: string; readonly natsUrl: string; readonly secrets: Readonly<Record<string, string>> }): NodeJS.ProcessEnv {
  return {
    ...given,
    NODE_ENV: given['NODE_ENV'] ?? 'development',
    DATABASE_URL: additions.databaseUrl,
    NATS_URL: additions.natsUrl,
    ...additions.secrets,
  };
}

/** `node --import tsx <script>` rather than the `tsx` command: one process per child, so a kill leaves no orphan. */
export function nodeCommand(spec: ProcessSpec, repoRoot: string): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', path.join(repoRoot, spec.script), ...spec.args] };
}

/** A URL with its password replaced, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
