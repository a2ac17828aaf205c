import { caseAction, newCaseMemory, priorityOf, retryAfter, retryAfterBlock, SHIFTS, shiftStartAtOrAfter, type CaseMemory } from './collector';
import { Random } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function memory(overrides: Partial<CaseMemory> = {}): CaseMemory {
  return { ...newCaseMemory('a1b2c3d4-0000-4000-8000-000000000001', 'medium', at('2026-03-10T12:00:00Z'), new Random('m')), stage: 'contact', stageEntry: 1, nextActionAt: 0, ...overrides };
}

describe("a collector's shift", () => {
  const { US, CN } = SHIFTS;

  it('is on from 08:00 to 20:00 Chicago time, Monday to Saturday; off, it names the next start', () => {
    // Tuesday 10 March 2026 (CDT, UTC−5).
    expect(iso(shiftStartAtOrAfter(US, at('2026-03-10T15:00:00Z')))).toBe('2026-03-10T15:00:00.000Z');
    expect(iso(shiftStartAtOrAfter(US, at('2026-03-10T12:59:00Z')))).toBe('2026-03-10T13:00:00.000Z');
    expect(iso(shiftStartAtOrAfter(US, at('2026-03-11T01:00:00Z')))).toBe('2026-03-11T13:00:00.000Z');
    // Friday 20:00 → Saturday 08:00; Saturday 20:00 → Monday 08:00.
    expect(iso(shiftStartAtOrAfter(US, at('2026-03-14T01:00:00Z')))).toBe('2026-03-14T13:00:00.000Z');
    expect(iso(shiftStartAtOrAfter(US, at('2026-03-15T01:00:00Z')))).toBe('2026-03-16T13:00:00.000Z');
  });

  it('follows daylight saving: 08:00 Chicago is 14:00 UTC in winter', () => {
    expect(iso(shiftStartAtOrAfter(US, at('2026-03-06T06:00:00Z')))).toBe('2026-03-06T14:00:00.000Z');
  });

  it('in China, 09:00 to 21:00 Shanghai time', () => {
    expect(iso(shiftStartAtOrAfter(CN, at('2026-03-10T00:30:00Z')))).toBe('2026-03-10T01:00:00.000Z');
    expect(iso(shiftStartAtOrAfter(CN, at('2026-03-10T13:00:00Z')))).toBe('2026-03-11T01:00:00.000Z');
  });
});

describe("what a collector does with a case whose time has come", () => {
  const now = at('2026-03-10T15:00:00Z');

  it('calls a case in contact; waits for one not due yet, closed or not opened', () => {
    expect(caseAction(memory(), now)).toBe('call');
    expect(caseAction(memory({ nextActionAt: now + 1 }), now)).toBe('none');
    expect(caseAction(memory({ stage: 'close' }), now)).toBe('none');
    expect(caseAction(memory({ stage: null }), now)).toBe('none');
    expect(caseAction(memory({ disputed: true }), now)).toBe('none');
  });

  it('sends the notice of legal consequences once per entry into pressure, then calls', () => {
    expect(caseAction(memory({ stage: 'pressure', stageEntry: 3 }), now)).toBe('final-notice');
    expect(caseAction(memory({ stage: 'pressure', stageEntry: 3, finalNoticeFor: 3 }), now)).toBe('call');
    expect(caseAction(memory({ stage: 'pressure', stageEntry: 5, finalNoticeFor: 3 }), now)).toBe('final-notice');
  });

  it('reminds of a promise in the two days before it falls due, then leaves it until it is kept or broken', () => {
    const promise = (dueDate: string, reminded = false) => ({ promiseId: 'p', dueDate, amount: 10_000, reminded });
    expect(caseAction(memory({ stage: 'negotiate', openPromise: promise('2026-03-11') }), now)).toBe('reminder');
    expect(caseAction(memory({ stage: 'negotiate', openPromise: promise('2026-03-11', true) }), now)).toBe('none');
    expect(caseAction(memory({ stage: 'negotiate', openPromise: promise('2026-03-20') }), now)).toBe('none');
    // Due 2 March: kept or broken by the 7th (three days' grace and one more), worked again from then.
    expect(caseAction(memory({ stage: 'negotiate', openPromise: promise('2026-03-02', true) }), now)).toBe('call');
    expect(caseAction(memory({ stage: 'negotiate', openPromise: promise('2026-03-06', true) }), now)).toBe('none');
  });

  it('leaves a case with a running plan alone while it stays in negotiate', () => {
    expect(caseAction(memory({ stage: 'negotiate', planId: 'plan' }), now)).toBe('none');
    expect(caseAction(memory({ stage: 'pressure', stageEntry: 2, finalNoticeFor: 2, planId: 'plan' }), now)).toBe('call');
  });

  it('takes commitments to follow up first, then pressure, then contact; the longest waiting first', () => {
    const order = [memory({ stage: 'contact', nextActionAt: 1 }), memory({ stage: 'negotiate', nextActionAt: 5 }), memory({ stage: 'pressure', nextActionAt: 2 }), memory({ stage: 'pressure', nextActionAt: 1 })]
      .sort((a, b) => priorityOf(a) - priorityOf(b))
      .map((m) => `${m.stage}@${m.nextActionAt}`);
    expect(order).toEqual(['negotiate@5', 'pressure@1', 'pressure@2', 'contact@1']);
  });
});

describe('when a collector tries again', () => {
  const now = at('2026-03-10T15:00:00Z');
  const random = new Random('retry');

  it('after a conversation, not before the 7 × 24 hours of Regulation F’s quiet have passed', () => {
    for (const outcome of ['right-party-contact', 'refused', 'promise-offered', 'dispute-raised'] as const) {
      for (let i = 0; i < 100; i += 1) expect(retryAfter(outcome, now, random)).toBeGreaterThan(now + 7 * DAY);
    }
  });

  it('after no answer, on another day at another hour', () => {
    for (let i = 0; i < 100; i += 1) {
      const next = retryAfter('no-answer', now, random);
      expect(next).toBeGreaterThanOrEqual(now + 18 * HOUR);
      expect(next).toBeLessThanOrEqual(now + 30 * HOUR);
    }
  });

  it('in China, an unanswered number again within hours, a conversation followed up within days', () => {
    for (let i = 0; i < 100; i += 1) {
      expect(retryAfter('no-answer', now, random, 'CN')).toBeLessThanOrEqual(now + 3 * HOUR);
      const followUp = retryAfter('refused', now, random, 'CN');
      expect(followUp).toBeGreaterThanOrEqual(now + 2 * DAY);
      expect(followUp).toBeLessThanOrEqual(now + 4 * DAY);
    }
  });

  it("after a block, just after the engine's nextAllowedAt; a block time does not lift, in a few days", () => {
    const next = retryAfterBlock('2026-03-11T08:00:00-05:00', now, random);
    expect(next).toBeGreaterThan(at('2026-03-11T13:00:00Z'));
    expect(next).toBeLessThanOrEqual(at('2026-03-11T14:30:00Z'));
    const hold = retryAfterBlock(undefined, now, random);
    expect(hold).toBeGreaterThanOrEqual(now + 2 * DAY);
    expect(hold).toBeLessThanOrEqual(now + 4 * DAY);
  });
});
