import type { accounts } from '@arrears/contracts';

/**
 * Flags under which a case is not handed to legal: a dispute pending, bankruptcy, a deceased debtor, breathing
 * space, a time-barred debt. The same list the case saga holds escalation under (services/case-workflow's
 * `LEGAL_HOLDS`); it is not in contracts, and a service may not import another's code, so it is repeated here.
 * Other flags (cease-communication, attorney-represented, vulnerable) change how a case is worked, not whether
 * it may go to court.
 */
export const LEGAL_HOLDS: readonly accounts.Flag[] = ['dispute', 'bankruptcy', 'deceased', 'breathing-space', 'time-barred'];

/** The account's flags that hold a handoff, in the order given, each once. */
export function holdsAmong(flags: readonly accounts.Flag[]): accounts.Flag[] {
  return [...new Set(flags.filter((flag) => LEGAL_HOLDS.includes(flag)))];
}
