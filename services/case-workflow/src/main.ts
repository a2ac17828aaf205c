/**
 * The case-workflow service as a process: `npm run service:case-workflow`. Configuration from the environment
 * (README, "Configuration"; docs/case-workflow.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { workflowPolicy } from './policy-config';
import { DEFAULT_ROSTER_POLICY } from './roster/domain/policy';
import { startWorkflowService } from './service';

runServiceProcess('case-workflow', (settings) =>
  startWorkflowService({
    ...settings,
    ...(process.env['ARREARS_WORKFLOW_READ_SCHEMA'] ? { readSchema: process.env['ARREARS_WORKFLOW_READ_SCHEMA'] } : {}),
    ...(process.env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: process.env['ARREARS_TIMER_SCHEMA'] } : {}),
    policy: workflowPolicy(),
    rosterPolicy: DEFAULT_ROSTER_POLICY,
  }),
);
