import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@arrears/contracts';
import { complianceConfig, COMPLIANCE_CONFIG_ENV, mergeComplianceConfig } from './config';
import { checkLanguage } from './domain/language';
import { DEFAULT_COMPLIANCE_CONFIG } from './domain/default-config';

function writeJson(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'compliance-')), 'compliance.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('the compliance configuration', () => {
  it('is the documented default without a file', () => {
    expect(complianceConfig({})).toBe(DEFAULT_COMPLIANCE_CONFIG);
  });

  it('passes its own checks: every default zone exists and every default pattern compiles', () => {
    const asFile = JSON.parse(JSON.stringify(DEFAULT_COMPLIANCE_CONFIG)) as Record<string, unknown>;
    expect(mergeComplianceConfig(asFile)).toEqual(DEFAULT_COMPLIANCE_CONFIG);
  });

  it('overrides only what the file names', () => {
    const file = writeJson({
      rulePacks: { GB: 'reg-f', 'CN*': null },
      jurisdictionTimeZones: { GB: ['Europe/London'] },
      packs: { 'reg-f': { maxCallAttemptsPerDebt: 5 }, 'cn-post-loan': { recordingRequiredFor: ['call', 'visit'] } },
      language: { addEntries: [{ category: 'threat-arrest', term: '蹲号子' }] },
      messages: { addOptOutPatterns: [{ term: 'STOPALL' }] },
    });
    const config = complianceConfig({ [COMPLIANCE_CONFIG_ENV]: file });
    expect(config.rulePacks).toMatchObject({ GB: 'reg-f', 'US*': 'reg-f' });
    expect(config.rulePacks['CN*']).toBeUndefined();
    expect(config.jurisdictionTimeZones['GB']).toEqual(['Europe/London']);
    expect(config.jurisdictionTimeZones['US-CA']).toEqual(['America/Los_Angeles']);
    expect(config.packs['reg-f']).toEqual({ ...DEFAULT_COMPLIANCE_CONFIG.packs['reg-f'], maxCallAttemptsPerDebt: 5 });
    expect(config.packs['cn-post-loan'].recordingRequiredFor).toEqual(['call', 'visit']);
    expect(config.language.entries).toHaveLength(DEFAULT_COMPLIANCE_CONFIG.language.entries.length + 1);
    expect(checkLanguage('让你蹲号子', config).hits).toHaveLength(1);
    expect(config.messages.optOutPatterns.at(-1)).toEqual({ term: 'STOPALL' });
  });

  it('replaces a list the file gives whole', () => {
    const config = mergeComplianceConfig({ language: { entries: [{ category: 'abuse', regex: 'dummkopf' }] } });
    expect(config.language.entries).toEqual([{ category: 'abuse', regex: 'dummkopf' }]);
  });

  it.each<[string, unknown, string]>([
    ['an unknown key', { packs: { 'reg-f': { maxCalls: 3 } } }, 'compliance.packs.reg-f'],
    ['a cap of zero', { packs: { 'reg-f': { maxCallAttemptsPerDebt: 0 } } }, 'compliance.packs.reg-f.maxCallAttemptsPerDebt'],
    ['a time that is no time', { packs: { 'cn-post-loan': { quietFrom: '10pm' } } }, 'compliance.packs.cn-post-loan.quietFrom'],
    ['an empty window', { packs: { 'reg-f': { allowedFrom: '09:00', allowedUntil: '09:00' } } }, 'compliance.packs.reg-f.allowedUntil'],
    ['an unknown pack', { rulePacks: { GB: 'fca' } }, 'compliance.rulePacks.GB'],
    ['a jurisdiction key that is no code', { rulePacks: { 'United Kingdom': 'reg-f' } }, 'compliance.rulePacks.United Kingdom'],
    ['an unknown time zone', { jurisdictionTimeZones: { GB: ['Europe/Londres'] } }, 'compliance.jurisdictionTimeZones.GB[0]'],
    ['an unknown channel', { timeOfDayChannels: ['call', 'fax'] }, 'compliance.timeOfDayChannels[1]'],
    ['a regex that does not compile', { language: { addEntries: [{ category: 'abuse', regex: '(unclosed' }] } }, 'compliance.language.addEntries[0].regex'],
    ['a regex that matches nothing at all', { messages: { addOptOutPatterns: [{ regex: 'x*' }] } }, 'compliance.messages.addOptOutPatterns[0].regex'],
    ['a pattern with both a term and a regex', { messages: { optOutPatterns: [{ term: 'stop', regex: 'stop' }] } }, 'compliance.messages.optOutPatterns[0]'],
    ['an unknown category', { language: { addEntries: [{ category: 'rude', term: 'x' }] } }, 'compliance.language.addEntries[0].category'],
    ['a rule id of the wrong shape', { language: { addEntries: [{ category: 'abuse', term: 'x', ruleId: 'Rude Words' }] } }, 'compliance.language.addEntries[0].ruleId'],
  ])('refuses %s, naming the field', (_, json, field) => {
    expect(() => mergeComplianceConfig(json)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field }));
  });

  it('refuses a file it cannot read, naming the variable', () => {
    expect(() => complianceConfig({ [COMPLIANCE_CONFIG_ENV]: '/nonexistent/compliance.json' })).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: COMPLIANCE_CONFIG_ENV }),
    );
    expect(() => complianceConfig({ [COMPLIANCE_CONFIG_ENV]: writeJson('{ not json') })).toThrow(expect.objectContaining({ field: COMPLIANCE_CONFIG_ENV }));
  });
});
