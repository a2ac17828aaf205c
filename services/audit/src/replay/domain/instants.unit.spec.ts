import { checkedInstant, compareInstants } from './instants';

describe('instants', () => {
  it('are compared as the moments they name, whatever their offset', () => {
    expect(compareInstants('2026-12-06T08:00:00+02:00', '2026-12-06T06:00:00.000Z')).toBe(0);
    expect(compareInstants('2026-12-06T00:59:59.999-05:00', '2026-12-06T06:00:00Z')).toBe(-1);
    expect(compareInstants('2026-12-31T23:30:00-01:00', '2027-01-01T00:29:59.999Z')).toBe(1);
  });

  it('keep every fraction digit, where Date.parse stops at the millisecond', () => {
    expect(compareInstants('2026-12-06T06:00:00.0000001Z', '2026-12-06T06:00:00Z')).toBe(1);
    expect(compareInstants('2026-12-06T06:00:00.1Z', '2026-12-06T06:00:00.100000Z')).toBe(0);
    expect(compareInstants('2026-12-06T06:00:00.0999999Z', '2026-12-06T06:00:00.1Z')).toBe(-1);
  });

  it('are refused, naming the field, when they are not ISO-8601 instants with an offset', () => {
    expect(checkedInstant('2026-12-06T06:00:00Z', 'at')).toBe('2026-12-06T06:00:00Z');
    expect(() => checkedInstant('2026-12-06 06:00', 'at')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'at' }));
    expect(() => compareInstants('noon', '2026-12-06T06:00:00Z')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
