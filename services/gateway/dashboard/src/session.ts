/** The signed-in person: the pasted role token (kept in sessionStorage, gone with the tab) and what it claims. */
export interface Session {
  readonly token: string;
  readonly operatorId: string;
  readonly role: string;
  readonly name?: string;
  /** Expiry, epoch seconds. */
  readonly exp: number;
}

const KEY = 'arrears.token';

/** The claims of a JWT, unverified: the gateway verifies every request; the dashboard only reads who it is for. */
export function sessionOf(token: string): Session {
  const part = token.trim().split('.')[1];
  if (part === undefined) throw new Error('That is not a token: a JWT has three parts separated by dots');
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  const claims = JSON.parse(json) as { sub?: unknown; role?: unknown; name?: unknown; exp?: unknown };
  if (typeof claims.sub !== 'string' || typeof claims.role !== 'string' || typeof claims.exp !== 'number') throw new Error('The token has no operator (sub), role or expiry');
  if (claims.exp * 1000 < Date.now()) throw new Error('The token has expired: ask for a new one');
  return { token: token.trim(), operatorId: claims.sub, role: claims.role, exp: claims.exp, ...(typeof claims.name === 'string' ? { name: claims.name } : {}) };
}

export function currentSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  if (token === null) return null;
  try {
    return sessionOf(token);
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export function signIn(token: string): Session {
  const session = sessionOf(token);
  sessionStorage.setItem(KEY, session.token);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/** Who sees what: collectors their own queue, supervisors and admins the team, auditors read-only oversight. */
export const canSeeTeam = (session: Session): boolean => ['supervisor', 'admin', 'auditor'].includes(session.role);
export const canSeeWorklists = (session: Session): boolean => ['collector', 'supervisor', 'admin'].includes(session.role);
export const canReplay = (session: Session): boolean => ['auditor', 'admin'].includes(session.role);
