import type { ProcessSettings } from '@arrears/platform';
import { workflowPolicy } from './policy-config';
import { DEFAULT_ROSTER_POLICY } from './roster/domain/policy';
import { startWorkflowService, type WorkflowService } from './service';

/**
 * The case-workflow service started with its options from the environment (README, "Configuration";
 * docs/case-workflow.md): what `main.ts` runs as a process, and `npm start -- --single-process` runs beside the
 * others in one.
 */
export function startCaseWorkflowFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env): Promise<WorkflowService> {
  return startWorkflowService({
    ...settings,
    ...(env['ARREARS_WORKFLOW_READ_SCHEMA'] ? { readSchema: env['ARREARS_WORKFLOW_READ_SCHEMA'] } : {}),
    ...(env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: env['ARREARS_TIMER_SCHEMA'] } : {}),
    policy: workflowPolicy(env),
    rosterPolicy: DEFAULT_ROSTER_POLICY,
  });
}
