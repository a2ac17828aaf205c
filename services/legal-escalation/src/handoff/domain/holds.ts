import { accounts } from '@arrears/contracts';

/**
 * Flags under which a case is not handed to legal: a dispute pending, bankruptcy, a deceased debtor, breathing
 * space, a time-barred debt — the list the case saga holds escalation under too (contracts: `LEGAL_HOLD_FLAGS`).
 * Other flags (cease-communication, attorney-represented, vulnerable) change how a case is worked, not whether it
 * may go to court.
 */
export const LEGAL_HOLDS = accounts.LEGAL_HOLD_FLAGS;

/** The account's flags that hold a handoff, in the order given, each once. */
export function holdsAmong(flags: readonly accounts.Flag[]): accounts.Flag[] {
  return [...new Set(flags.filter((flag) => LEGAL_HOLDS.includes(flag)))];
}
