import { UsageError } from '@arrears/testing';
import { parseOptions } from './options';

describe('bench:bus options', () => {
  it('runs the full benchmark by default and the short one with --quick, with the relay on its own defaults', () => {
    const full = parseOptions([]);
    const quick = parseOptions(['--quick']);
    if (full === 'help' || quick === 'help') throw new Error('expected options');
    expect([full.mode, quick.mode]).toEqual(['full', 'quick']);
    expect(quick.sliceMs * quick.slices).toBeLessThan(full.sliceMs * full.slices);
    expect([full.jsonFile, full.relayPollIntervalMs, full.relayMinPollIntervalMs]).toEqual([undefined, undefined, undefined]);
  });

  it('writes JSON to the file given, or to a timestamped one under bench-results/', () => {
    expect(parseOptions(['--json', 'out.json', '--quick'])).toMatchObject({ jsonFile: 'out.json', mode: 'quick' });
    expect(parseOptions(['--json', '--quick'])).toMatchObject({ jsonFile: expect.stringMatching(/^bench-results\/bus-.+\.json$/), mode: 'quick' });
  });

  it('passes the relay poll settings through', () => {
    expect(parseOptions(['--relay-poll-ms', '50', '--relay-min-poll-ms', '1'])).toMatchObject({ relayPollIntervalMs: 50, relayMinPollIntervalMs: 1 });
  });

  it('refuses an unknown flag or a setting that is not a whole number of milliseconds, naming it', () => {
    expect(() => parseOptions(['--fast'])).toThrow(UsageError);
    expect(() => parseOptions(['--fast'])).toThrow('Unknown argument "--fast"');
    for (const bad of [['--relay-poll-ms'], ['--relay-poll-ms', 'soon'], ['--relay-min-poll-ms', '0']]) {
      expect(() => parseOptions(bad)).toThrow(bad[0]);
    }
    expect(parseOptions(['--quick', '--help'])).toBe('help');
  });
});
