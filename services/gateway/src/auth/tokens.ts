import { ArrearsError, ErrorCode, ROLES, RoleSchema, type Role } from '@arrears/contracts';
import { JwtService } from '@nestjs/jwt';
import { z } from 'zod';
import type { Operator } from './operator';

export const JWT_ISSUER = 'arrears';
export const JWT_AUDIENCE = 'arrears-api';
/** The audience of an event-stream ticket: it opens the event stream and nothing else. */
export const STREAM_TICKET_AUDIENCE = 'arrears-events';
export const JWT_SECRET_ENV = 'ARREARS_JWT_SECRET';
/** Secrets tokens were signed with before the current one: still accepted, never used to sign (rotation). */
export const JWT_PREVIOUS_SECRETS_ENV = 'ARREARS_JWT_PREVIOUS_SECRETS';
/** The public development secret: tokens signed with it prove nothing. Used only when NODE_ENV is development or test. */
export const DEVELOPMENT_JWT_SECRET = 'arrears-development-jwt-secret-NOT-SECRET';

const ClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  role: RoleSchema,
  name: z.string().max(200).optional(),
});

/**
 * Verifies bearer tokens (HS256, issuer `arrears`, audience `arrears-api`, expiry required) and signs them with the
 * current secret. Tokens signed with a previous secret still verify, so the secret can be rotated without logging
 * everyone out: set the new secret, keep the old one among the previous ones until its tokens have expired.
 */
export class Tokens {
  private readonly jwt: JwtService;
  private readonly verifiers: readonly JwtService[];

  constructor(secret: string, previousSecrets: readonly string[] = []) {
    for (const [field, value] of [[JWT_SECRET_ENV, secret], ...previousSecrets.map((previous) => [JWT_PREVIOUS_SECRETS_ENV, previous] as const)] as const) {
      if (value.length < 32) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} must be at least 32 characters${field === JWT_PREVIOUS_SECRETS_ENV ? ' each' : ''}`, { field });
    }
    const service = (key: string) => new JwtService({ secret: key, signOptions: { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE }, verifyOptions: { algorithms: ['HS256'], issuer: JWT_ISSUER } });
    this.jwt = service(secret);
    this.verifiers = [this.jwt, ...previousSecrets.map(service)];
  }

  /** The operator of an `Authorization: Bearer …` header; UNAUTHENTICATED saying why when there is none or it does not verify. */
  async operatorOf(authorization: string | undefined): Promise<Operator> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) throw unauthenticated('Send a bearer token: Authorization: Bearer <token>');
    return this.verify(match[1], JWT_AUDIENCE, 'authorization');
  }

  /** The operator of an event-stream ticket (`streamTicket`); a bearer token is not a ticket, nor a ticket a bearer token. */
  async operatorOfTicket(ticket: string): Promise<Operator> {
    return this.verify(ticket, STREAM_TICKET_AUDIENCE, 'ticket');
  }

  sign(operator: Operator, expiresInSeconds: number): string {
    return this.jwt.sign(claimsOf(operator), { subject: operator.operatorId, expiresIn: expiresInSeconds });
  }

  /**
   * A short-lived ticket to open the event stream with (a browser's EventSource cannot send headers, and a URL ends up
   * in logs): it names the operator, opens the stream only, and expires in `expiresInSeconds`.
   */
  streamTicket(operator: Operator, expiresInSeconds: number): string {
    return this.jwt.sign(claimsOf(operator), { subject: operator.operatorId, expiresIn: expiresInSeconds, audience: STREAM_TICKET_AUDIENCE });
  }

  private async verify(token: string, audience: string, field: string): Promise<Operator> {
    let payload: unknown;
    let failure: unknown;
    for (const verifier of this.verifiers) {
      try {
        payload = await verifier.verifyAsync(token, { audience });
        break;
      } catch (error) {
        // The last secret tried says why: the one whose signature held, if any (an expired token, say).
        failure = error;
        // Only a signature made with another secret is worth trying the previous secrets on.
        if (!(error instanceof Error && error.message === 'invalid signature')) break;
      }
    }
    if (payload === undefined) throw unauthenticated(`The ${field === 'ticket' ? 'ticket' : 'token'} does not verify: ${failure instanceof Error ? failure.message : String(failure)}`, field);
    if (typeof payload !== 'object' || payload === null || !('exp' in payload)) throw unauthenticated('The token has no expiry (exp)', field);
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`The token's claims are not an Arrears operator: ${claims.error.issues[0]?.path.join('.') ?? ''} ${claims.error.issues[0]?.message ?? ''}`.trim(), field);
    return { operatorId: claims.data.sub, role: claims.data.role, ...(claims.data.name === undefined ? {} : { name: claims.data.name }) };
  }
}

function claimsOf(operator: Operator): Record<string, unknown> {
  return { role: operator.role, ...(operator.name === undefined ? {} : { name: operator.name }) };
}

function unauthenticated(message: string, field = 'authorization'): ArrearsError {
  return new ArrearsError(ErrorCode.UNAUTHENTICATED, message, { field });
}

/** One development operator per role, with fixed ids so a restarted platform still knows them. */
export const DEVELOPMENT_OPERATORS: Readonly<Record<Role, Operator>> = Object.fromEntries(
  ROLES.map((role, index) => [role, { operatorId: role === 'system' ? 'system:development' : `00000000-0000-4000-8000-00000000000${index + 1}`, role, name: `Development ${role}` }]),
) as Record<Role, Operator>;

/** A token for each role, valid for `hours`: what the gateway prints at start in development. */
export function developmentTokens(tokens: Tokens, hours = 12): Record<Role, string> {
  return Object.fromEntries(ROLES.map((role) => [role, tokens.sign(DEVELOPMENT_OPERATORS[role], hours * 3600)])) as Record<Role, string>;
}
