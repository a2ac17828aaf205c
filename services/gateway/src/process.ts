import type { ProcessSettings, Readiness } from '@arrears/platform';
import { developmentTokens } from './auth/tokens';
import { gatewayConfig } from './config';
import { startGateway, type Gateway } from './gateway';

/**
 * The gateway started with its configuration from the environment (docs/gateway.md, "Configuration"): what `main.ts`
 * runs as a process and `npm start -- --single-process` runs beside the services. In development it prints a token
 * for every role.
 */
export async function startGatewayFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env, context?: { readonly readiness: Readiness }): Promise<Gateway> {
  const config = gatewayConfig(env);
  const gateway = await startGateway({ config, topology: settings.topology, logger: settings.logger, clock: settings.clock, ...(context === undefined ? {} : { readiness: context.readiness }) });
  settings.log.info(`gateway listening on ${gateway.url}: API under /api, OpenAPI at /docs, health at /health/ready${gateway.dashboard ? ', the dashboard at /' : ''}`);
  if (config.development) {
    const tokens = developmentTokens(gateway.tokens);
    const lines = Object.entries(tokens).map(([role, token]) => `  ${role.padEnd(10)} ${token}`);
    process.stdout.write(`\nDevelopment tokens (12 hours; send as Authorization: Bearer <token>):\n${lines.join('\n')}\n\n`);
  }
  return gateway;
}
