/**
 * The case-workflow service as a process: `npm run service:case-workflow`. Configuration from the environment
 * (README, "Configuration"; docs/case-workflow.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { startCaseWorkflowFromEnvironment } from './process';

runServiceProcess('case-workflow', startCaseWorkflowFromEnvironment);
