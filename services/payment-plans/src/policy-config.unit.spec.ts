import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ErrorCode } from '@arrears/contracts';
import { DEFAULT_PLAN_POLICY } from './plan/domain/policy';
import { plansPolicy } from './policy-config';

const dir = mkdtempSync(path.join(tmpdir(), 'plans-policy-'));
function file(content: unknown): NodeJS.ProcessEnv {
  const name = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(name, typeof content === 'string' ? content : JSON.stringify(content));
  return { ARREARS_PLANS_POLICY: name };
}

describe('the plan policy from ARREARS_PLANS_POLICY', () => {
  it('is the documented default when unset', () => {
    expect(plansPolicy({})).toBe(DEFAULT_PLAN_POLICY);
  });

  it('overrides what the file names, approvals option by option', () => {
    const policy = plansPolicy(file({ graceDays: 0, missedToDefault: 3, approvals: { settlementBasisPoints: { supervisor: 5_000 } } }));
    expect(policy).toEqual({ ...DEFAULT_PLAN_POLICY, graceDays: 0, missedToDefault: 3, approvals: { ...DEFAULT_PLAN_POLICY.approvals, settlementBasisPoints: { supervisor: 5_000 } } });
  });

  it.each([
    [{ graceDays: 61 }, 'policy.graceDays'],
    [{ missedToDefault: 0 }, 'policy.missedToDefault'],
    [{ approvals: { interestFreeze: ['janitor'] } }, 'policy.approvals.interestFreeze[0]'],
    [{ approvals: { settlementBasisPoints: { admin: 10_001 } } }, 'policy.approvals.settlementBasisPoints.admin'],
    [{ unknown: 1 }, 'policy'],
    [{ standardInstalments: 24, maxInstalments: 12 }, 'policy.standardInstalments'],
  ])('refuses %j naming %s', (content, field) => {
    expect(() => plansPolicy(file(content))).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field }));
  });

  it('refuses a file that is not JSON, naming the variable', () => {
    expect(() => plansPolicy(file('{ not json'))).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_PLANS_POLICY' }));
  });
});
