import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@arrears/contracts';
import { promisesPolicy } from './policy-config';
import { DEFAULT_PROMISE_POLICY } from './promise/domain/policy';

describe('the promises policy from configuration', () => {
  let dir: string;
  const policyFile = (content: unknown) => {
    const file = join(dir, `policy-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return { ARREARS_PROMISES_POLICY: file };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'promises-policy-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the documented default without a file', () => {
    expect(promisesPolicy({})).toBe(DEFAULT_PROMISE_POLICY);
    expect(promisesPolicy({ ARREARS_PROMISES_POLICY: '' })).toBe(DEFAULT_PROMISE_POLICY);
    expect(DEFAULT_PROMISE_POLICY).toEqual({ maxOpenPerCase: 1, graceDays: 3, maxDaysAhead: 45 });
  });

  it('overrides only what the file names', () => {
    expect(promisesPolicy(policyFile({ maxOpenPerCase: 2, graceDays: 0 }))).toEqual({ maxOpenPerCase: 2, graceDays: 0, maxDaysAhead: 45 });
    expect(promisesPolicy(policyFile({ maxDaysAhead: 365 }))).toEqual({ maxOpenPerCase: 1, graceDays: 3, maxDaysAhead: 365 });
    expect(promisesPolicy(policyFile({}))).toEqual(DEFAULT_PROMISE_POLICY);
  });

  it.each([
    [{ maxOpenPerCase: 0 }, 'policy.maxOpenPerCase'],
    [{ maxOpenPerCase: 11 }, 'policy.maxOpenPerCase'],
    [{ maxOpenPerCase: 1.5 }, 'policy.maxOpenPerCase'],
    [{ graceDays: -1 }, 'policy.graceDays'],
    // PromiseRecorded's schema stops at 60 grace days: a longer grace would be decided and then refused by the store.
    [{ graceDays: 61 }, 'policy.graceDays'],
    [{ graceDays: '3' }, 'policy.graceDays'],
    [{ maxDaysAhead: 0 }, 'policy.maxDaysAhead'],
    [{ maxDaysAhead: 366 }, 'policy.maxDaysAhead'],
    [{ maxOpen: 2 }, 'policy'],
    [[1, 2], 'policy'],
  ])('refuses %j naming %s', (content, field) => {
    expect(() => promisesPolicy(policyFile(content))).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field, message: expect.stringContaining('ARREARS_PROMISES_POLICY') }));
  });

  it('refuses a file it cannot read, or that is not JSON, naming the variable', () => {
    expect(() => promisesPolicy({ ARREARS_PROMISES_POLICY: join(dir, 'missing.json') })).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_PROMISES_POLICY' }));
    expect(() => promisesPolicy(policyFile('graceDays: 0'))).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_PROMISES_POLICY' }));
  });
});
