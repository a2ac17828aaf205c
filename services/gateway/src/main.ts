/**
 * The gateway as a process: `npm run service:gateway`. Configuration from the environment (README, "Configuration":
 * ARREARS_GATEWAY_PORT, ARREARS_JWT_SECRET…). In development it prints a token for every role. Stops cleanly on
 * SIGINT or SIGTERM.
 */
import { runServiceProcess } from '@arrears/platform';
import { developmentTokens } from './auth/tokens';
import { gatewayConfig } from './config';
import { startGateway } from './gateway';

runServiceProcess('gateway', async (settings) => {
  const config = gatewayConfig();
  const gateway = await startGateway({ config, topology: settings.topology, logger: settings.logger });
  settings.log.info(`gateway listening on ${gateway.url}: API under /api, OpenAPI at /docs`);
  if (config.development) {
    const tokens = developmentTokens(gateway.tokens);
    const lines = Object.entries(tokens).map(([role, token]) => `  ${role.padEnd(10)} ${token}`);
    process.stdout.write(`\nDevelopment tokens (12 hours; send as Authorization: Bearer <token>):\n${lines.join('\n')}\n\n`);
  }
  return gateway;
});
