/** Events of the services' published language, as another service's tests need to find them in the store. */
import { randomUUID } from 'node:crypto';
import { accounts, EventCatalog, type Encrypted, type NewEvent, type Role } from '@arrears/contracts';

const ACCOUNT_EVENTS = new EventCatalog(accounts.ACCOUNT_EVENTS);

/** A stand-in for an encrypted personal field, in the `pii:v1` form (it opens with no key). */
export function stubCiphertext(label: string): Encrypted {
  return `pii:v1:${'A'.repeat(16)}:${Buffer.from(label).toString('base64url')}:${'B'.repeat(22)}` as Encrypted;
}

/** An event as its owning service stores it: the data checked and versioned by `encode`, the case id = the account id. */
export function storedEvent(
  encoded: { readonly type: string; readonly schemaVersion: number; readonly data: object },
  caseId: string,
  options: { readonly occurredAt?: string; readonly actorId?: string; readonly actorRole?: Role } = {},
): NewEvent {
  const commandId = randomUUID();
  return {
    eventId: randomUUID(),
    type: encoded.type,
    schemaVersion: encoded.schemaVersion,
    occurredAt: options.occurredAt ?? '2026-11-29T09:00:00.000Z',
    data: encoded.data as Record<string, unknown>,
    metadata: { commandId, correlationId: commandId, causationId: commandId, caseId, actorId: options.actorId ?? 'system:accounts', actorRole: options.actorRole ?? 'system' },
  };
}

/** An account event as the accounts service stores it. */
export function accountEvent(event: accounts.AccountEvent, options?: Parameters<typeof storedEvent>[2]): NewEvent {
  return storedEvent(ACCOUNT_EVENTS.encode(event), event.data.accountId, options);
}

/**
 * The AccountPlaced of a USD credit card, 800.00 owed, placed on 2026-11-29 for a debtor in Chicago; `debtor` replaces
 * any of the debtor's fields (a real ciphertext of the phone, say).
 */
export function accountPlaced(accountId: string, debtor: Partial<accounts.SealedDebtor> = {}): NewEvent {
  return accountEvent({
    type: 'AccountPlaced',
    data: {
      accountId,
      creditor: { creditorId: 'acme', name: 'Acme Bank' },
      creditorReference: 'CC-1',
      product: 'credit-card',
      currency: 'USD',
      balance: { principal: 80_000, fees: 0, interest: 0 },
      dueDate: '2026-10-01',
      allocationOrder: ['fees', 'interest', 'principal'],
      debtor: { debtorId: randomUUID(), name: stubCiphertext('name'), phones: [], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en', ...debtor },
    },
  });
}

/**
 * A PaymentPosted as accounts stores it, all of it to principal: `balanceAfter` is the principal left (the caller
 * knows the account's balance; the consumers under test read the payment, not the allocation).
 */
export function paymentPosted(accountId: string, payment: { reference: string; minor: number; receivedOn: string; principalAfter: number; currency?: string }): NewEvent {
  return accountEvent(
    {
      type: 'PaymentPosted',
      data: {
        accountId,
        paymentReference: payment.reference,
        amount: { minor: payment.minor, currency: payment.currency ?? 'USD' },
        receivedOn: payment.receivedOn,
        channel: 'bank-transfer',
        allocation: { fees: 0, interest: 0, principal: payment.minor, credit: 0 },
        balanceAfter: { principal: payment.principalAfter, fees: 0, interest: 0 },
        creditAfter: 0,
      },
    },
    { occurredAt: `${payment.receivedOn}T10:00:00.000Z` },
  );
}
