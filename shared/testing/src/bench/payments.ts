import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@arrears/contracts';

/**
 * The events the benchmarks write: one generator, so every contender writes byte-for-byte the same kind of rows
 * and messages. A payment taken on a delinquent account — amounts in minor units, an allocation over aging
 * buckets and a collector's note — is about 400 bytes of JSON, the size of the platform's ordinary events.
 */
export function paymentReceived(occurredAt: string, sequence: number): NewEvent {
  const amount = 5_000 + (sequence % 997) * 13;
  return {
    eventId: randomUUID(),
    type: 'PaymentReceived',
    schemaVersion: 1,
    occurredAt,
    data: {
      accountId: randomUUID(),
      paymentId: randomUUID(),
      amount: { minor: amount, currency: 'USD' },
      method: 'debit_card',
      channel: 'phone',
      reference: `PMT-2025-${String(sequence).padStart(9, '0')}`,
      allocation: [
        { bucket: '31-90', minor: amount - 1_250 },
        { bucket: 'fees', minor: 1_250 },
      ],
      balanceAfter: { minor: 412_345 - amount, currency: 'USD' },
      agingBucket: '31-90',
      note: 'Right-party contact; debtor paid by card over the phone and asked for an emailed receipt.',
    },
    metadata: {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      caseId: randomUUID(),
      actorId: 'user:7d1f0c3e-collector-0042',
      actorRole: 'collector',
    },
  };
}

let sequence = 0;

/** `count` fresh payments (new ids each time: every append writes events nobody has written before). */
export function newPayments(count: number): NewEvent[] {
  const occurredAt = new Date().toISOString();
  return Array.from({ length: count }, () => paymentReceived(occurredAt, sequence++));
}

/** An account stream nobody has written to: single appends go to distinct streams, as new aggregates do. */
export function newAccountStreamId(): string {
  return `account-${randomUUID()}`;
}

/** Bytes of JSON in one payment's data and metadata, for the report. */
export function paymentPayloadBytes(): { data: number; metadata: number } {
  const [event] = newPayments(1) as [NewEvent];
  return { data: JSON.stringify(event.data).length, metadata: JSON.stringify(event.metadata).length };
}
