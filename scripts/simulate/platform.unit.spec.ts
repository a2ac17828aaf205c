import { DEVELOPMENT_JWT_SECRET } from '../../services/gateway/src/auth/tokens';
import { parseSimulationArgs, type SimulationOptions } from './options';
import { connectPlatform } from './platform';

describe('a running platform (--gateway)', () => {
  const options = parseSimulationArgs(['--gateway', 'http://127.0.0.1:3000', '--speed', '3600']) as SimulationOptions;

  it('is simulated on the clock its ARREARS_CLOCK_* describe, with tokens signed by its secret', () => {
    const notes: string[] = [];
    const platform = connectPlatform(options, { ARREARS_CLOCK_START: '2026-03-02T00:00:00Z', ARREARS_CLOCK_SPEED: '3600', ARREARS_CLOCK_ANCHOR_MS: String(Date.now()), ARREARS_JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters' }, (note) => notes.push(note));
    expect(platform).toMatchObject({ gatewayUrl: 'http://127.0.0.1:3000', jwtSecret: 'a-secret-of-at-least-thirty-two-characters', speed: 3600 });
    expect(Math.abs(platform.clock().getTime() - Date.parse('2026-03-02T00:00:00Z'))).toBeLessThan(3_600_000);
    expect(notes).toEqual([]);
  });

  it('on the real clock at 1× when no ARREARS_CLOCK_* is set, saying so; the development secret when none is', () => {
    const notes: string[] = [];
    const platform = connectPlatform(options, {}, (note) => notes.push(note));
    expect(platform).toMatchObject({ speed: 1, jwtSecret: DEVELOPMENT_JWT_SECRET });
    expect(Math.abs(platform.clock().getTime() - Date.now())).toBeLessThan(1_000);
    expect(notes).toEqual(["the platform's clock runs at 1× (ARREARS_CLOCK_SPEED unset): simulating at that speed, not 3600×"]);
  });
});
