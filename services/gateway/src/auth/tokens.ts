import { ArrearsError, ErrorCode, ROLES, RoleSchema, type Role } from '@arrears/contracts';
import { JwtService } from '@nestjs/jwt';
import { z } from 'zod';
import type { Operator } from './operator';

export const JWT_ISSUER = 'arrears';
export const JWT_AUDIENCE = 'arrears-api';
export const JWT_SECRET_ENV = 'ARREARS_JWT_SECRET';
/** The public development secret: tokens signed with it prove nothing. Used only when NODE_ENV is development or test. */
export const DEVELOPMENT_JWT_SECRET = 'arrears-development-jwt-secret-NOT-SECRET';

const ClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  role: RoleSchema,
  name: z.string().max(200).optional(),
});

/** Verifies bearer tokens (HS256, issuer `arrears`, audience `arrears-api`, expiry required) and signs them. */
export class Tokens {
  private readonly jwt: JwtService;

  constructor(secret: string) {
    if (secret.length < 32) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${JWT_SECRET_ENV} must be at least 32 characters`, { field: JWT_SECRET_ENV });
    this.jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE }, verifyOptions: { algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE } });
  }

  /** The operator of an `Authorization: Bearer …` header; UNAUTHENTICATED saying why when there is none or it does not verify. */
  async operatorOf(authorization: string | undefined): Promise<Operator> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) throw unauthenticated('Send a bearer token: Authorization: Bearer <token>');
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync(match[1]);
    } catch (error) {
      throw unauthenticated(`The token does not verify: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof payload !== 'object' || payload === null || !('exp' in payload)) throw unauthenticated('The token has no expiry (exp)');
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`The token's claims are not an Arrears operator: ${claims.error.issues[0]?.path.join('.') ?? ''} ${claims.error.issues[0]?.message ?? ''}`.trim());
    return { operatorId: claims.data.sub, role: claims.data.role, ...(claims.data.name === undefined ? {} : { name: claims.data.name }) };
  }

  sign(operator: Operator, expiresInSeconds: number): string {
    return this.jwt.sign({ role: operator.role, ...(operator.name === undefined ? {} : { name: operator.name }) }, { subject: operator.operatorId, expiresIn: expiresInSeconds });
  }
}

function unauthenticated(message: string): ArrearsError {
  return new ArrearsError(ErrorCode.UNAUTHENTICATED, message, { field: 'authorization' });
}

/** One development operator per role, with fixed ids so a restarted platform still knows them. */
export const DEVELOPMENT_OPERATORS: Readonly<Record<Role, Operator>> = Object.fromEntries(
  ROLES.map((role, index) => [role, { operatorId: role === 'system' ? 'system:development' : `00000000-0000-4000-8000-00000000000${index + 1}`, role, name: `Development ${role}` }]),
) as Record<Role, Operator>;

/** A token for each role, valid for `hours`: what the gateway prints at start in development. */
export function developmentTokens(tokens: Tokens, hours = 12): Record<Role, string> {
  return Object.fromEntries(ROLES.map((role) => [role, tokens.sign(DEVELOPMENT_OPERATORS[role], hours * 3600)])) as Record<Role, string>;
}
