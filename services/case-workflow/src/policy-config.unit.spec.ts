import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ErrorCode } from '@arrears/contracts';
import { DEFAULT_WORKFLOW_POLICY } from './case/domain/policy';
import { workflowPolicy } from './policy-config';

const dir = mkdtempSync(path.join(tmpdir(), 'workflow-policy-'));
const file = (content: unknown): NodeJS.ProcessEnv => {
  const name = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(name, JSON.stringify(content));
  return { ARREARS_WORKFLOW_POLICY: name };
};

describe('the workflow policy from ARREARS_WORKFLOW_POLICY', () => {
  it('is the documented default when unset', () => {
    expect(workflowPolicy({})).toBe(DEFAULT_WORKFLOW_POLICY);
  });

  it('overrides what the file names, stage by stage; overrides replace the defaults', () => {
    const policy = workflowPolicy(file({ rules: { contact: { firstAttemptHours: 0.001 } }, overrides: [], legal: { brokenPromises: 3 } }));
    expect(policy).toEqual({
      ...DEFAULT_WORKFLOW_POLICY,
      rules: { ...DEFAULT_WORKFLOW_POLICY.rules, contact: { ...DEFAULT_WORKFLOW_POLICY.rules.contact, firstAttemptHours: 0.001 } },
      overrides: [],
      legal: { ...DEFAULT_WORKFLOW_POLICY.legal, brokenPromises: 3 },
    });
  });

  it.each([
    [{ rules: { contact: { firstAttemptHours: 0 } } }, 'policy.rules.contact.firstAttemptHours'],
    [{ overrides: [{ tier: 'extreme', rules: {} }] }, 'policy.overrides[0].tier'],
    [{ legal: { planDefaults: 0 } }, 'policy.legal.planDefaults'],
    [{ teamId: 'Main Team' }, 'policy.teamId'],
  ])('refuses %j naming %s', (content, field) => {
    expect(() => workflowPolicy(file(content))).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field }));
  });
});
