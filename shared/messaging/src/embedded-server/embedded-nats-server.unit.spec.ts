import { parseSyncPolicy } from './embedded-nats-server';

describe('parseSyncPolicy', () => {
  it('takes "always" or a whole number of milliseconds', () => {
    expect(parseSyncPolicy('always', '--sync')).toBe('always');
    expect(parseSyncPolicy(' Always ', '--sync')).toBe('always');
    expect(parseSyncPolicy('1000', '--sync')).toEqual({ everyMs: 1000 });
  });

  it('refuses anything else, naming the setting', () => {
    for (const value of ['', 'never', '0', '-5', '1.5']) expect(() => parseSyncPolicy(value, 'ARREARS_EMBEDDED_NATS_SYNC')).toThrow(/^ARREARS_EMBEDDED_NATS_SYNC must be "always" or a whole number of milliseconds/);
  });
});
