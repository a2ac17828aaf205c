import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArrearsError } from '@arrears/contracts';
import { checkConfig, DEFAULT_REPORT_CONFIG, type ReportConfig } from './index';

/** The file the defaults mirror (read as text: a service never imports another). */
const ENGINE_DEFAULTS = path.resolve(__dirname, '../../../contact-attempts/src/compliance/domain/default-config.ts');

/** `key: value` pairs of the object literal given to `name` in the engine's defaults: numbers, and 'HH:MM' strings. */
function engineEntry(name: string): Record<string, string | number> {
  const text = readFileSync(ENGINE_DEFAULTS, 'utf8');
  const body = new RegExp(`${name}:\\s*\\{([^}]*)\\}`).exec(text)?.[1];
  if (body === undefined) throw new Error(`${name} is no longer an object literal in ${ENGINE_DEFAULTS}: compare the report's defaults by hand and update this test`);
  return Object.fromEntries([...body.matchAll(/(\w+):\s*(?:'([^']*)'|(\d+))/g)].map(([, key, text, number]) => [key as string, text ?? Number(number)]));
}

describe('the report configuration', () => {
  it('pins the quiet hours and caps of each pack', () => {
    expect(DEFAULT_REPORT_CONFIG.packs).toEqual({
      'reg-f': { contactWindow: { from: '08:00', until: '21:00' }, callsPerDebt: { limit: 7, windowDays: 7 }, quietAfterConversationDays: 7 },
      'cn-post-loan': { contactWindow: { from: '08:00', until: '22:00' }, connectedCallsPerDebtorPerDay: 3, unansweredCallsPerNumberPerDay: 6 },
    });
    expect(DEFAULT_REPORT_CONFIG.timeOfDayChannels).toEqual(['call', 'sms', 'email', 'visit']);
    expect(DEFAULT_REPORT_CONFIG.night).toEqual({ from: '21:00', until: '08:00' });
    expect(DEFAULT_REPORT_CONFIG.legalHandoffHours).toBe(48);
  });

  it('says what the compliance engine\'s defaults say (services/contact-attempts/src/compliance/domain/default-config.ts)', () => {
    const regF = engineEntry("'reg-f'");
    const china = engineEntry("'cn-post-loan'");
    const mirror = DEFAULT_REPORT_CONFIG.packs;

    expect(mirror['reg-f']).toEqual({
      contactWindow: { from: regF.allowedFrom, until: regF.allowedUntil },
      callsPerDebt: { limit: regF.maxCallAttemptsPerDebt, windowDays: regF.windowDays },
      quietAfterConversationDays: regF.quietAfterConversationDays,
    });
    // China names the quiet (22:00–08:00); the report the window between (08:00–22:00).
    expect(mirror['cn-post-loan']).toEqual({
      contactWindow: { from: china.quietUntil, until: china.quietFrom },
      connectedCallsPerDebtorPerDay: china.maxConnectedCallsPerDay,
      unansweredCallsPerNumberPerDay: china.maxUnansweredPerNumberPerDay,
    });
    const channels = /timeOfDayChannels:\s*\[([^\]]*)\]/.exec(readFileSync(ENGINE_DEFAULTS, 'utf8'))?.[1];
    expect(channels?.split(',').map((channel) => channel.trim().replace(/'/g, ''))).toEqual(DEFAULT_REPORT_CONFIG.timeOfDayChannels);
  });

  it('refuses a configuration that is not one, naming the field', () => {
    const field = (config: ReportConfig) => {
      try {
        checkConfig(config);
      } catch (error) {
        return error instanceof ArrearsError ? `${error.code} ${error.field}` : error;
      }
      return 'accepted';
    };
    const pack = (limits: object): ReportConfig => ({ ...DEFAULT_REPORT_CONFIG, packs: { ...DEFAULT_REPORT_CONFIG.packs, 'reg-f': limits } });

    expect(field(DEFAULT_REPORT_CONFIG)).toBe('accepted');
    expect(field(pack({ contactWindow: { from: '8:00', until: '21:00' } }))).toBe('VALIDATION_FAILED config.packs.reg-f.contactWindow.from');
    expect(field(pack({ contactWindow: { from: '08:00', until: '08:00' } }))).toBe('VALIDATION_FAILED config.packs.reg-f.contactWindow.until');
    expect(field(pack({ callsPerDebt: { limit: 0, windowDays: 7 } }))).toBe('VALIDATION_FAILED config.packs.reg-f.callsPerDebt.limit');
    expect(field({ ...DEFAULT_REPORT_CONFIG, timeOfDayChannels: ['call', 'fax' as 'call'] })).toBe('VALIDATION_FAILED config.timeOfDayChannels[1]');
    expect(field({ ...DEFAULT_REPORT_CONFIG, night: { from: '21:00', until: '24:00' } })).toBe('VALIDATION_FAILED config.night.until');
  });
});
