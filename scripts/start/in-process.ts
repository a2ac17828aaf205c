import { startService, type ServiceStart } from '@arrears/platform';
import type { Output, ProcessLog } from './output';
import { InProcessRelay, InProcessService } from './parts';
import type { ServiceName } from './plan';

/** Each service's start from its environment, as its main.ts runs it (services/<name>/src/process.ts). */
const SERVICE_STARTS: Record<ServiceName, () => Promise<ServiceStart>> = {
  accounts: async () => (await import('@arrears/accounts/src/process')).startAccountsFromEnvironment,
  'contact-attempts': async () => (await import('@arrears/contact-attempts/src/process')).startContactAttemptsFromEnvironment,
  'promises-to-pay': async () => (await import('@arrears/promises-to-pay/src/process')).startPromisesToPayFromEnvironment,
  'payment-plans': async () => (await import('@arrears/payment-plans/src/process')).startPaymentPlansFromEnvironment,
  'case-workflow': async () => (await import('@arrears/case-workflow/src/process')).startCaseWorkflowFromEnvironment,
  'legal-escalation': async () => (await import('@arrears/legal-escalation/src/process')).startLegalEscalationFromEnvironment,
  audit: async () => (await import('@arrears/audit/src/process')).startAuditFromEnvironment,
};

/** The gateway's start from its environment (services/gateway/src/process.ts). */
export async function gatewayStart(): Promise<ServiceStart> {
  return (await import('@arrears/gateway/src/process')).startGatewayFromEnvironment;
}

/** A pino destination that hands each line to the process's log (its file, and the console in short). */
function destination(log: ProcessLog): NonNullable<Parameters<typeof startService>[3]> {
  return { write: (line: string) => log.write(line, 'stdout') };
}

/** A service inside this process: its health server on the port in `env`, its log lines under its name. */
export async function startServiceInProcess(name: string, start: ServiceStart | ServiceName, env: NodeJS.ProcessEnv, log: ProcessLog, output: Output): Promise<InProcessService> {
  const run = typeof start === 'string' ? await SERVICE_STARTS[start]() : start;
  return new InProcessService(name, await startService(name, run, env, destination(log)), output);
}

/**
 * The relay inside this process: `relay run` as the operator runs it, reading its settings from `process.env`
 * (which the launcher has set to the platform's), its health on `healthPort`.
 */
export async function startRelayInProcess(healthPort: number, log: ProcessLog, output: Output): Promise<InProcessRelay> {
  const { main } = await import('@arrears/messaging/src/relay/relay-cli');
  const stream = (name: 'stdout' | 'stderr') => ({ write: (text: string) => log.write(text, name) });
  return new InProcessRelay(() => main(['run', '--health-port', String(healthPort)], { out: stream('stdout'), err: stream('stderr') }), output);
}
