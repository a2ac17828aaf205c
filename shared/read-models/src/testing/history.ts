/**
 * Histories for the read-model tests: events stored as the event store would give them back, their data checked by
 * the contracts.
 */
import { randomUUID } from 'node:crypto';
import { globalPosition, type accounts, type EventEnvelope, type NewEvent } from '@arrears/contracts';
import { accountEvent } from '@arrears/testing';

type AccountEvent = accounts.AccountEvent;

/** The store's global log as the test builds it: every stored event of every stream, in the order it was committed. */
export class History {
  readonly events: EventEnvelope[] = [];
  private commits = 9_000;

  store(event: NewEvent, streamId: string, streamPosition: number): EventEnvelope {
    const stored: EventEnvelope = {
      ...event,
      streamId,
      streamPosition,
      globalPosition: globalPosition((this.commits += 1), 0),
      recordedAt: new Date(Date.parse(event.occurredAt) + 20).toISOString(),
    };
    this.events.push(stored);
    return stored;
  }
}

/**
 * One account's stream (`account-<accountId>`) as a read model of case segments sees it: the segment changes and, now
 * and then, another account event; positions the read model is not given (the placement, payments…) are skipped, as a
 * subscription filtered to the segment changes would skip them. Its events are stored on `history`.
 */
export class AccountStream {
  readonly events: EventEnvelope[] = [];
  private position = 1; // 0 is the AccountPlaced, never given here
  private bucket: accounts.AgingBucket | null = null;
  private tier: accounts.RiskTier | null = null;

  constructor(
    readonly accountId: string = randomUUID(),
    private readonly history: History = new History(),
  ) {}

  /** The stream's next event, as the accounts service stores it. */
  append<T extends AccountEvent['type']>(type: T, data: Omit<Extract<AccountEvent, { type: T }>['data'], 'accountId'>, occurredAt: string): EventEnvelope {
    // The contract's schema checks the data at run time; TypeScript cannot follow T through the spread.
    const event = { type, data: { accountId: this.accountId, ...data } } as unknown as AccountEvent;
    const stored = this.history.store(accountEvent(event, { occurredAt }), `account-${this.accountId}`, this.position);
    this.position += 1;
    this.events.push(stored);
    return stored;
  }

  /** Stream positions taken by account events this read model is not given. */
  skip(count = 1): this {
    this.position += count;
    return this;
  }

  agingBucket(to: accounts.AgingBucket, daysPastDue: number, at: string): EventEnvelope {
    const event = this.append('AgingBucketChanged', { from: this.bucket, to, daysPastDue, asOf: at.slice(0, 10) }, at);
    this.bucket = to;
    return event;
  }

  riskTier(to: accounts.RiskTier, score: number, at: string): EventEnvelope {
    const event = this.append('RiskTierChanged', { from: this.tier, to, score, factors: { daysPastDue: Math.round(score / 2), brokenPromises: 0 }, asOf: at.slice(0, 10) }, at);
    this.tier = to;
    return event;
  }
}
