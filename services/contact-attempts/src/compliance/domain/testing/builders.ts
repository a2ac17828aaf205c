import { DEFAULT_COMPLIANCE_CONFIG } from '../default-config';
import { DAY_MS, HOUR_MS, parseInstant } from '../local-time';
import type { ComplianceConfig, ContactFlags, ContactPreferences, ContactProfile, ContactRequest, PastContact } from '../types';

/* Small builders for the engine's specs: a plausible default, and only what a test is about spelled out. */

export const CONFIG: ComplianceConfig = DEFAULT_COMPLIANCE_CONFIG;

export function request(overrides: Partial<ContactRequest> = {}): ContactRequest {
  return {
    caseId: 'case-1',
    debtId: 'debt-1',
    debtorId: 'debtor-1',
    channel: 'call',
    target: { kind: 'phone', value: 'phone-key-1' },
    operatorId: 'collector-7',
    intendedAt: '2026-03-02T10:00:00-05:00',
    recordingPlanned: true,
    ...overrides,
  };
}

export function sms(text: string, overrides: Partial<ContactRequest> = {}): ContactRequest {
  return request({ channel: 'sms', messageText: text, ...overrides });
}

export function profile(
  overrides: Partial<Omit<ContactProfile, 'flags' | 'preferences'>> & { flags?: ContactFlags; preferences?: Partial<ContactPreferences> } = {},
): ContactProfile {
  const { preferences, ...rest } = overrides;
  return {
    jurisdiction: 'US',
    candidateTimeZones: ['America/New_York'],
    flags: {},
    ...rest,
    preferences: { optedOutChannels: [], inconvenientTimes: [], ...preferences },
  };
}

export function past(at: string, overrides: Partial<PastContact> = {}): PastContact {
  return { debtId: 'debt-1', channel: 'call', targetValue: 'phone-key-1', at, outcome: 'no-answer', connected: false, allowed: true, ...overrides };
}

/** `count` past contacts, the first at `first`, then every `everyMs`. */
export function pastSeries(first: string, count: number, everyMs: number, overrides: Partial<PastContact> = {}): PastContact[] {
  return Array.from({ length: count }, (_, index) => past(plus(first, index * everyMs), overrides));
}

/** `iso` moved by `ms`, in UTC. */
export function plus(iso: string, ms: number): string {
  const instant = parseInstant(iso);
  if (instant === undefined) throw new Error(`not an instant: ${iso}`);
  return new Date(instant + ms).toISOString();
}

export const DAYS = (days: number) => days * DAY_MS;
export const HOURS = (hours: number) => hours * HOUR_MS;

export function withConfig(overrides: Partial<ComplianceConfig>): ComplianceConfig {
  return { ...CONFIG, ...overrides };
}
