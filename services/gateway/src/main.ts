/**
 * The gateway as a process: `npm run service:gateway`. Configuration from the environment (docs/gateway.md). Stops
 * cleanly on SIGINT or SIGTERM.
 */
import { runServiceProcess } from '@arrears/platform';
import { startGatewayFromEnvironment } from './process';

runServiceProcess('gateway', startGatewayFromEnvironment);
