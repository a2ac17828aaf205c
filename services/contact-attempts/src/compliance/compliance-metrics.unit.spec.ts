import { randomUUID } from 'node:crypto';
import type { Encrypted } from '@arrears/contracts';
import { complianceRules } from '../contact/compliance-rules';
import { initialState } from '../contact/domain/contact';
import type { ContactCommandEnvelope } from '../contact/domain/commands';
import type { DebtorProfile } from '../contact/domain/debtor-profile';
import { contactDecider } from '../contact/domain/decide';
import { complianceTally } from './compliance-metrics';
import { DEFAULT_COMPLIANCE_CONFIG } from '.';

const decide = contactDecider(complianceRules(DEFAULT_COMPLIANCE_CONFIG));
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
const phone = `pii:v1:${'A'.repeat(16)}:${Buffer.from('phone').toString('base64url')}:${'B'.repeat(22)}` as Encrypted;

function requestContact(flags: DebtorProfile['flags'], messageText?: string): ContactCommandEnvelope {
  const profile: DebtorProfile = { accountId, debtorId, open: true, jurisdiction: 'US-IL', timeZone: 'America/Chicago', flags, phones: [phone], emails: [], postalAddress: undefined, attorneyContact: undefined, erased: false };
  return {
    type: 'RequestContact',
    commandId: randomUUID(),
    schemaVersion: 1,
    metadata: { correlationId: randomUUID(), caseId: accountId, actorId: 'collector-7', actorRole: 'collector', now: '2026-11-30T16:00:00.000Z' },
    data: {
      contactId: randomUUID(),
      accountId,
      channel: 'sms',
      target: { kind: 'phone', value: phone, key: 'a'.repeat(64) },
      purpose: 'collection',
      intendedAt: '2026-11-30T16:00:00.000Z',
      profile,
      ...(messageText === undefined ? {} : { messageText }),
    },
  } as ContactCommandEnvelope;
}

describe('complianceTally', () => {
  it('counts an allowed contact as one allowed check and no block', () => {
    expect(complianceTally(decide(requestContact({}, 'Please call us back. Reply STOP to opt out.'), initialState()))).toEqual({ checks: ['allowed'], blockedBy: [] });
  });

  it('counts a blocked contact once, under each rule it names', () => {
    const events = decide(requestContact({ 'cease-communication': {}, 'attorney-represented': {} }), initialState());
    const tally = complianceTally(events);
    expect(tally.checks).toEqual(['blocked']);
    expect(tally.blockedBy).toEqual(expect.arrayContaining(['hold.cease-communication']));
    expect(new Set(tally.blockedBy).size).toBe(tally.blockedBy.length);
  });

  it('counts nothing for events that are not decisions', () => {
    expect(complianceTally([{ type: 'ContactPreferenceSet', data: { debtorId, accountId, optedOutChannels: [], inconvenientTimes: [], inconvenientPlaces: [], preferredTimes: [] } }])).toEqual({
      checks: [],
      blockedBy: [],
    });
  });
});
