import type { Role } from '@arrears/contracts';

/** The authenticated person or system behind a request; every command it causes is bound to `operatorId`. */
export interface Operator {
  /** The token's subject: a user id, or `system:<name>` for an internal system. */
  readonly operatorId: string;
  readonly role: Role;
  readonly name?: string;
}
