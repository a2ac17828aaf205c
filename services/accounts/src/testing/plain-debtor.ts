import type { accounts } from '@arrears/contracts';

/** A debtor's personal data in plaintext, as a placement carries it: tests look for it where it must not be. */
export const PLAIN_DEBTOR = {
  name: 'Wilhelmina Quartzfield',
  phone: '+1 (312) 555-0199',
  phoneDigits: '3125550199',
  nationalId: '987-65-4321',
  email: 'w.quartzfield@example.com',
  street: '12 Orchard Lane',
} as const;

/** Every plaintext form of PLAIN_DEBTOR a leak could take. */
export const PLAIN_DEBTOR_TEXTS: readonly string[] = [...Object.values(PLAIN_DEBTOR), 'Quartzfield', '555-0199'];

type PlaceAccountData = Extract<accounts.AccountCommand, { type: 'PlaceAccount' }>['data'];

/** PlaceAccount data for PLAIN_DEBTOR: a USD credit card, 850.00 owed, 40 days past due. */
export function plainPlacement(accountId: string, debtorId: string, creditorReference = `CC-${accountId.slice(0, 6)}`): PlaceAccountData {
  return {
    accountId,
    creditor: { creditorId: 'acme', name: 'Acme Bank' },
    creditorReference,
    product: 'credit-card',
    currency: 'USD',
    principal: 80_000,
    fees: 1_000,
    interest: 4_000,
    daysPastDue: 40,
    debtor: {
      debtorId,
      name: PLAIN_DEBTOR.name,
      phones: [{ number: PLAIN_DEBTOR.phone, kind: 'mobile' }],
      emails: [PLAIN_DEBTOR.email],
      postalAddress: { lines: [PLAIN_DEBTOR.street], city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' },
      nationalId: PLAIN_DEBTOR.nationalId,
      timeZone: 'America/Chicago',
      jurisdiction: 'US-IL',
      language: 'en',
    },
  } as PlaceAccountData;
}
