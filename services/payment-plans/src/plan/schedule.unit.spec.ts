import { ErrorCode, paymentPlans } from '@arrears/contracts';
import fc from 'fast-check';
import { instalmentSchedule } from './domain/schedule';

const { FREQUENCIES, MAX_INSTALMENTS } = paymentPlans;

const usd = (minor: number) => ({ minor, currency: 'USD' });

describe('instalment schedules', () => {
  it('splits evenly and puts the remainder on the last instalment', () => {
    expect(instalmentSchedule({ total: usd(100_000), instalments: 3, frequency: 'monthly', firstDueDate: '2026-12-15' })).toEqual([
      { number: 1, dueDate: '2026-12-15', amount: usd(33_333) },
      { number: 2, dueDate: '2027-01-15', amount: usd(33_333) },
      { number: 3, dueDate: '2027-02-15', amount: usd(33_334) },
    ]);
  });

  it('keeps the day of the month, or the month\'s last day when it is shorter', () => {
    const dates = instalmentSchedule({ total: usd(400), instalments: 4, frequency: 'monthly', firstDueDate: '2027-01-31' }).map((i) => i.dueDate);
    expect(dates).toEqual(['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30']);
    const leap = instalmentSchedule({ total: usd(200), instalments: 2, frequency: 'monthly', firstDueDate: '2028-01-31' }).map((i) => i.dueDate);
    expect(leap).toEqual(['2028-01-31', '2028-02-29']);
  });

  it('steps weekly and fortnightly across a year end', () => {
    expect(instalmentSchedule({ total: usd(300), instalments: 3, frequency: 'weekly', firstDueDate: '2026-12-24' }).map((i) => i.dueDate)).toEqual(['2026-12-24', '2026-12-31', '2027-01-07']);
    expect(instalmentSchedule({ total: usd(300), instalments: 3, frequency: 'fortnightly', firstDueDate: '2026-12-24' }).map((i) => i.dueDate)).toEqual(['2026-12-24', '2027-01-07', '2027-01-21']);
  });

  it('refuses what cannot be scheduled, naming the field', () => {
    expect(() => instalmentSchedule({ total: usd(2), instalments: 3, frequency: 'weekly', firstDueDate: '2026-12-24' })).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'data.total.minor' }));
    expect(() => instalmentSchedule({ total: usd(200), instalments: 0, frequency: 'weekly', firstDueDate: '2026-12-24' })).toThrow(expect.objectContaining({ field: 'data.instalments' }));
    expect(() => instalmentSchedule({ total: usd(200), instalments: 2, frequency: 'weekly', firstDueDate: '2026-02-30' })).toThrow(expect.objectContaining({ field: 'data.firstDueDate' }));
  });

  it('property: instalments always sum to the agreed amount, none is negative or zero, dates strictly increase', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_INSTALMENTS }).chain((instalments) =>
          fc.record({
            instalments: fc.constant(instalments),
            minor: fc.integer({ min: instalments, max: Number.MAX_SAFE_INTEGER }),
            frequency: fc.constantFrom(...FREQUENCIES),
            first: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
          }),
        ),
        ({ instalments, minor, frequency, first }) => {
          const schedule = instalmentSchedule({ total: usd(minor), instalments, frequency, firstDueDate: first.toISOString().slice(0, 10) });
          expect(schedule).toHaveLength(instalments);
          expect(schedule.every((instalment) => Number.isSafeInteger(instalment.amount.minor) && instalment.amount.minor > 0)).toBe(true);
          // Summed as BigInt: the total may be as large as 2^53 − 1.
          expect(schedule.reduce((sum, instalment) => sum + BigInt(instalment.amount.minor), 0n)).toBe(BigInt(minor));
          for (let i = 1; i < schedule.length; i++) expect(schedule[i]!.dueDate > schedule[i - 1]!.dueDate).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
