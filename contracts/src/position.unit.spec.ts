import { compareGlobalPositions, globalPosition, GlobalPositionSchema, parseGlobalPosition, START } from './position';

describe('global positions', () => {
  it('compare by commit, then by prepare, as numbers rather than text', () => {
    expect(compareGlobalPositions('9:100', '10:1')).toBe(-1);
    expect(compareGlobalPositions('10:2', '10:10')).toBe(-1);
    expect(compareGlobalPositions('10:10', '10:10')).toBe(0);
    expect(compareGlobalPositions('11:0', '10:99')).toBe(1);
    expect(compareGlobalPositions(START, '0:1')).toBe(-1);
  });

  it('round-trip beyond the safe integer range', () => {
    const big = globalPosition(2n ** 63n, 2n ** 60n + 1n);
    expect(parseGlobalPosition(big)).toEqual({ commit: 2n ** 63n, prepare: 2n ** 60n + 1n });
  });

  it.each(['', '1', '1:', ':1', '-1:2', '01:2', '1:2:3', 'a:b'])('refuse %j', (text) => {
    expect(() => parseGlobalPosition(text)).toThrow(RangeError);
    expect(GlobalPositionSchema.safeParse(text).success).toBe(false);
  });
});
