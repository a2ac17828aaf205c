import { compareGlobalPositions } from '@arrears/contracts';
import fc from 'fast-check';
import { comparePositions, isGlobalPosition } from './positions';

describe('comparePositions', () => {
  it('orders "<commit>:<prepare>" as compareGlobalPositions does, without BigInt (property)', () => {
    const part = fc.oneof(fc.nat({ max: 20 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(String);
    const position = fc.tuple(part, part).map(([commit, prepare]) => `${commit}:${prepare}`);
    fc.assert(
      fc.property(position, position, (a, b) => {
        expect(comparePositions(a, b)).toBe(compareGlobalPositions(a, b));
      }),
      { numRuns: 2_000 },
    );
    expect(comparePositions('9:5', '10:1')).toBe(-1);
    expect(comparePositions('10:10', '10:9')).toBe(1);
  });

  it('knows a position from something else', () => {
    expect(isGlobalPosition('53566:9')).toBe(true);
    for (const bad of ['', '1', '01:2', '1:02', '1:2:3', ' 1:2', '-1:2']) expect(isGlobalPosition(bad)).toBe(false);
  });
});
