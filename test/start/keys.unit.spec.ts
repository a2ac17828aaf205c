import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { masterKeyFromEnv } from '@arrears/security';
import { ensureSecrets, GENERATED_SECRETS } from '../../scripts/start/keys';

describe('npm start: keys generated once into ARREARS_HOME/keys', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'arrears-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates every missing secret on the first start, each in a file only its owner reads, and reads the same ones after', () => {
    const first = ensureSecrets(dir, {});
    expect(Object.keys(first.env)).toEqual(['ARREARS_PII_MASTER_KEY', 'ARREARS_LEGAL_SIGNING_KEY', 'ARREARS_AUDIT_SIGNING_KEY', 'ARREARS_JWT_SECRET']);
    expect(first.generated).toHaveLength(GENERATED_SECRETS.length);
    for (const file of first.generated) expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = ensureSecrets(dir, {});
    expect(second.env).toEqual(first.env);
    expect(second.generated).toEqual([]);
  });

  it('writes keys the services accept', () => {
    const { env } = ensureSecrets(dir, {});
    expect(masterKeyFromEnv({ ARREARS_PII_MASTER_KEY: env['ARREARS_PII_MASTER_KEY'] }).symmetricKeySize).toBe(32);
    for (const variable of ['ARREARS_LEGAL_SIGNING_KEY', 'ARREARS_AUDIT_SIGNING_KEY']) {
      const key = createPrivateKey({ key: Buffer.from(env[variable] ?? '', 'base64'), format: 'der', type: 'pkcs8' });
      expect(key.asymmetricKeyType).toBe('ed25519');
    }
    expect((env['ARREARS_JWT_SECRET'] ?? '').length).toBeGreaterThanOrEqual(32);
  });

  it('leaves a secret that is set in the environment to the environment: not passed on, no file written', () => {
    const { env, generated } = ensureSecrets(dir, { ARREARS_JWT_SECRET: 'given' });
    expect(env).not.toHaveProperty('ARREARS_JWT_SECRET');
    expect(generated.map((file) => path.basename(file))).not.toContain('jwt-secret');
  });

  it('tightens a key file others could read, and refuses an empty one', () => {
    const file = path.join(dir, 'pii-master-key');
    writeFileSync(file, 'c29tZS1rZXk=\n', { mode: 0o644 });
    expect(ensureSecrets(dir, {}).env['ARREARS_PII_MASTER_KEY']).toBe('c29tZS1rZXk=');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '\n');
    expect(() => ensureSecrets(dir, {})).toThrow(/pii-master-key is empty/);
    expect(readFileSync(file, 'utf8')).toBe('\n');
  });
});
