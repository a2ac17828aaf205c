import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@arrears/contracts';
import { DEFAULT_ACCOUNTS_POLICY } from './account/domain/policy';
import { accountsPolicy, mergePolicy } from './policy-config';

describe('the accounts policy from configuration', () => {
  it('is the documented default without a file', () => {
    expect(accountsPolicy({})).toBe(DEFAULT_ACCOUNTS_POLICY);
  });

  it('overrides only what the file names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ waiverLimits: { collector: 0, supervisor: 10_000 }, risk: { tiers: { medium: 30, high: 60 } } }));
    const policy = accountsPolicy({ ARREARS_ACCOUNTS_POLICY: file });
    expect(policy.waiverLimits).toEqual({ collector: 0, supervisor: 10_000 });
    expect(policy.risk.tiers).toEqual({ medium: 30, high: 60 });
    expect(policy.risk.agingPoints).toEqual(DEFAULT_ACCOUNTS_POLICY.risk.agingPoints);
    expect(policy.allocationOrder).toEqual(['fees', 'interest', 'principal']);
    expect(policy.recoveryTarget).toBe(0.15);
    expect(mergePolicy({ recoveryTarget: 0.2 }).recoveryTarget).toBe(0.2);
  });

  it('refuses a bad file naming the field', () => {
    expect(() => mergePolicy({ allocationOrder: ['fees', 'fees', 'principal'] })).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'policy.allocationOrder' }));
    expect(() => mergePolicy({ waiverLimits: { janitor: 5 } })).toThrow(expect.objectContaining({ field: expect.stringContaining('policy.waiverLimits') }));
    expect(() => mergePolicy({ recoveryTarget: 15 })).toThrow(expect.objectContaining({ field: expect.stringContaining('policy.recoveryTarget') }));
    expect(() => mergePolicy({ risk: { tiers: { medium: 80, high: 60 } } })).toThrow(expect.objectContaining({ field: expect.stringContaining('policy.risk.tiers') }));
    expect(() => accountsPolicy({ ARREARS_ACCOUNTS_POLICY: '/nonexistent/policy.json' })).toThrow(expect.objectContaining({ field: 'ARREARS_ACCOUNTS_POLICY' }));
  });
});
