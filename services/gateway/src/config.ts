import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { DEVELOPMENT_JWT_SECRET, JWT_PREVIOUS_SECRETS_ENV, JWT_SECRET_ENV } from './auth/tokens';

const DEVELOPMENT_ENVIRONMENTS: readonly string[] = ['development', 'test'];

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly jwtSecret: string;
  /** Secrets tokens were signed with before `jwtSecret`: accepted until their tokens expire, never used to sign. */
  readonly previousJwtSecrets?: readonly string[];
  /** True under NODE_ENV development: tokens for every role are printed at start. */
  readonly development: boolean;
  /** How long a request waits for the owning service before 503; default 5 s. */
  readonly upstreamTimeoutMs: number;
}

/**
 * ARREARS_GATEWAY_PORT (3000), ARREARS_GATEWAY_HOST (0.0.0.0), ARREARS_JWT_SECRET, ARREARS_JWT_PREVIOUS_SECRETS (comma- or
 * space-separated, for rotation), ARREARS_GATEWAY_UPSTREAM_TIMEOUT_MS (5000).
 */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const nodeEnv = env['NODE_ENV'];
  const secret = env[JWT_SECRET_ENV]?.trim();
  if ((secret === undefined || secret === '') && (nodeEnv === undefined || !DEVELOPMENT_ENVIRONMENTS.includes(nodeEnv))) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${JWT_SECRET_ENV} is not set: set it to a random secret of at least 32 characters (openssl rand -base64 48). The public development secret is used only when NODE_ENV is development or test.`, { field: JWT_SECRET_ENV });
  }
  return {
    port: whole(env, 'ARREARS_GATEWAY_PORT', 3000),
    host: env['ARREARS_GATEWAY_HOST'] ?? '0.0.0.0',
    jwtSecret: secret === undefined || secret === '' ? DEVELOPMENT_JWT_SECRET : secret,
    previousJwtSecrets: (env[JWT_PREVIOUS_SECRETS_ENV] ?? '').split(/[\s,]+/).filter((previous) => previous !== ''),
    development: nodeEnv === 'development',
    upstreamTimeoutMs: whole(env, 'ARREARS_GATEWAY_UPSTREAM_TIMEOUT_MS', 5_000),
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${name} must be a whole number, not "${value}"`, { field: name });
  return parsed;
}
