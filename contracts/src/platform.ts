import { ACCOUNT_COMMANDS, ACCOUNT_EVENTS } from './accounts';
import { CASE_COMMANDS, CASE_EVENTS, ROSTER_COMMANDS, ROSTER_EVENTS } from './case-workflow';
import { CONTACT_COMMANDS, CONTACT_EVENTS, SCRIPT_COMMANDS, SCRIPT_EVENTS } from './contact-attempts';
import { LEGAL_COMMANDS, LEGAL_EVENTS } from './legal-escalation';
import { PLAN_COMMANDS, PLAN_EVENTS } from './payment-plans';
import { PROMISE_COMMANDS, PROMISE_EVENTS } from './promises-to-pay';
import type { CommandDefinition, EventDefinition } from './catalog';

/**
 * Every event and command of the platform, for what is generated from the contracts (docs/asyncapi.yaml, JSON
 * Schema). A service adds its definitions here when it adds them to `contracts/src/<service>/`; until the first
 * service arrives the lists are empty and the generated document describes the envelope and subjects alone.
 */
export const PLATFORM_EVENTS: readonly EventDefinition[] = [...ACCOUNT_EVENTS, ...CONTACT_EVENTS, ...SCRIPT_EVENTS, ...PROMISE_EVENTS, ...PLAN_EVENTS, ...CASE_EVENTS, ...ROSTER_EVENTS, ...LEGAL_EVENTS];
export const PLATFORM_COMMANDS: readonly CommandDefinition[] = [...ACCOUNT_COMMANDS, ...CONTACT_COMMANDS, ...SCRIPT_COMMANDS, ...PROMISE_COMMANDS, ...PLAN_COMMANDS, ...CASE_COMMANDS, ...ROSTER_COMMANDS, ...LEGAL_COMMANDS];
