import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@arrears/contracts';
import { z } from 'zod';
import { parsePolicy, readPolicyFile } from './policy-file';

const Schema = z.object({ limit: z.number().int().min(1).max(10), roles: z.array(z.enum(['collector', 'supervisor'])) }).partial().strict();

describe('a policy file named by an environment variable', () => {
  let dir: string;
  const write = (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is undefined when the variable is unset or empty: the service keeps its defaults', () => {
    expect(readPolicyFile('ARREARS_TEST_POLICY', Schema, {})).toBeUndefined();
    expect(readPolicyFile('ARREARS_TEST_POLICY', Schema, { ARREARS_TEST_POLICY: '' })).toBeUndefined();
  });

  it('is the file parsed by the schema', () => {
    const file = write('good.json', JSON.stringify({ limit: 3, roles: ['supervisor'] }));
    expect(readPolicyFile('ARREARS_TEST_POLICY', Schema, { ARREARS_TEST_POLICY: file })).toEqual({ limit: 3, roles: ['supervisor'] });
  });

  it('refuses a missing file or one that is not JSON naming the variable', () => {
    const missing = join(dir, 'missing.json');
    expect(() => readPolicyFile('ARREARS_TEST_POLICY', Schema, { ARREARS_TEST_POLICY: missing })).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_TEST_POLICY', message: expect.stringContaining(`cannot read ${missing} as JSON`) }),
    );
    const broken = write('broken.json', '{ "limit": 3, }');
    expect(() => readPolicyFile('ARREARS_TEST_POLICY', Schema, { ARREARS_TEST_POLICY: broken })).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'ARREARS_TEST_POLICY' }));
  });

  it('refuses content that does not fit naming the field, the variable and the file', () => {
    const file = write('bad.json', JSON.stringify({ limit: 11 }));
    expect(() => readPolicyFile('ARREARS_TEST_POLICY', Schema, { ARREARS_TEST_POLICY: file })).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'policy.limit', message: expect.stringMatching(new RegExp(`^ARREARS_TEST_POLICY \\(${file}\\): policy\\.limit: `)) }),
    );
    const unknown = write('unknown.json', JSON.stringify({ limits: 3 }));
    expect(() => readPolicyFile('ARREARS_TEST_POLICY', Schema, { ARREARS_TEST_POLICY: unknown }, 'rules')).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, details: { issues: [expect.objectContaining({ field: 'rules', code: 'unrecognized_keys' })] } }),
    );
  });

  it('parses JSON already in hand the same way', () => {
    expect(parsePolicy({ roles: ['collector'] }, Schema)).toEqual({ roles: ['collector'] });
    expect(() => parsePolicy({ roles: ['janitor'] }, Schema)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'policy.roles[0]' }));
    expect(() => parsePolicy([], Schema)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'policy' }));
  });
});
