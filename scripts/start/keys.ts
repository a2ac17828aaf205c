import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A secret every process needs, generated once into ARREARS_HOME/keys when its variable is unset. */
export interface GeneratedSecret {
  readonly variable: string;
  readonly file: string;
  readonly what: string;
  generate(): string;
}

const ed25519Pkcs8 = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

export const GENERATED_SECRETS: readonly GeneratedSecret[] = [
  { variable: 'ARREARS_PII_MASTER_KEY', file: 'pii-master-key', what: 'the personal-data master key', generate: () => randomBytes(32).toString('base64') },
  { variable: 'ARREARS_LEGAL_SIGNING_KEY', file: 'legal-signing-key', what: "legal-escalation's evidence package signing key (Ed25519)", generate: ed25519Pkcs8 },
  { variable: 'ARREARS_AUDIT_SIGNING_KEY', file: 'audit-signing-key', what: "audit's checkpoint signing key (Ed25519)", generate: ed25519Pkcs8 },
  { variable: 'ARREARS_JWT_SECRET', file: 'jwt-secret', what: "the gateway's token secret", generate: () => randomBytes(48).toString('base64') },
];

export interface Secrets {
  /** The variables to give every process: only those unset in the launcher's environment. */
  readonly env: Record<string, string>;
  /** Files written by this call (first start, or a file removed since). */
  readonly generated: readonly string[];
}

/**
 * Each secret whose variable is unset, read from its file under `dir`, or generated and written there (mode 0600)
 * when there is none — so the next start decrypts and verifies what this one wrote. A variable that is set wins
 * and its file is neither read nor written.
 */
export function ensureSecrets(dir: string, env: NodeJS.ProcessEnv, secrets: readonly GeneratedSecret[] = GENERATED_SECRETS): Secrets {
  const values: Record<string, string> = {};
  const generated: string[] = [];
  for (const secret of secrets) {
    if ((env[secret.variable]?.trim() ?? '') !== '') continue;
    const file = path.join(dir, secret.file);
    if (existsSync(file)) {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      const value = readFileSync(file, 'utf8').trim();
      if (value === '') throw new Error(`${file} is empty: delete it to generate ${secret.what} anew (data protected by the old one becomes unreadable), or set ${secret.variable}`);
      values[secret.variable] = value;
      continue;
    }
    const value = secret.generate();
    // `wx`: never overwrite a key another start wrote a moment ago.
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    values[secret.variable] = value;
    generated.push(file);
  }
  return { env: values, generated };
}
