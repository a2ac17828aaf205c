import type { contactAttempts } from '@arrears/contracts';
import { lazyInstruments } from '@arrears/observability';

/**
 * `arrears_compliance_checks_total{outcome}` (allowed or blocked) and `arrears_compliance_blocks_total{rule}` (one
 * per reason a blocked contact gives, so one block under two rules counts once under each).
 */
const complianceMetrics = lazyInstruments('@arrears/contact-attempts', (meter) => ({
  checks: meter.createCounter('arrears.compliance.checks', { description: 'Contacts checked by the compliance engine before they happen, by outcome (allowed, blocked)', unit: '{contact}' }),
  blocks: meter.createCounter('arrears.compliance.blocks', { description: 'Blocked contacts by the rule that blocked them (one count per rule a block names)', unit: '{contact}' }),
}));

export interface ComplianceTally {
  readonly checks: readonly ('allowed' | 'blocked')[];
  readonly blockedBy: readonly string[];
}

/** What a command's new events say the compliance engine decided: one check per decision, the rules of each block. */
export function complianceTally(events: readonly contactAttempts.ContactEvent[]): ComplianceTally {
  const checks: ('allowed' | 'blocked')[] = [];
  const blockedBy: string[] = [];
  for (const event of events) {
    if (event.type === 'ContactAllowed') checks.push('allowed');
    if (event.type !== 'ContactBlocked') continue;
    checks.push('blocked');
    blockedBy.push(...new Set(event.data.reasons.map((reason) => reason.ruleId)));
  }
  return { checks, blockedBy };
}

/** Counts the decisions among events just written (not those of a repeated command: they were counted then). */
export function countComplianceDecisions(events: readonly contactAttempts.ContactEvent[]): void {
  const { checks, blockedBy } = complianceTally(events);
  const instruments = complianceMetrics();
  for (const outcome of checks) instruments.checks.add(1, { outcome });
  for (const rule of blockedBy) instruments.blocks.add(1, { rule });
}
