import { prohibitedLanguageCsv, prohibitedLanguageReport } from './index';
import { APRIL, compliantApril } from './testing/april';

describe('prohibited-language hits', () => {
  it('counts the month\'s hits by category, by where they were found and by rule, with the events', () => {
    const april = compliantApril();

    const report = prohibitedLanguageReport(april.events, APRIL);

    expect(report).toMatchObject({ detections: 4, hits: 5, unreadableEvents: 0 });
    expect(report.byCategory).toEqual([
      { category: 'threat-violence', hits: 0, detections: 0 },
      { category: 'threat-arrest', hits: 2, detections: 2 },
      { category: 'threat-lawsuit-without-basis', hits: 1, detections: 1 },
      { category: 'threat-home-visit', hits: 1, detections: 1 },
      { category: 'abuse', hits: 1, detections: 1 },
      { category: 'third-party-disclosure', hits: 0, detections: 0 },
    ]);
    expect(report.bySource).toEqual([
      { source: 'message', hits: 2, detections: 1 },
      { source: 'notes', hits: 1, detections: 1 },
      { source: 'script', hits: 1, detections: 1 },
      { source: 'transcript', hits: 1, detections: 1 },
    ]);
    expect(report.byCategoryAndSource).toEqual([
      { category: 'threat-arrest', source: 'notes', hits: 1, detections: 1 },
      { category: 'threat-arrest', source: 'transcript', hits: 1, detections: 1 },
      { category: 'threat-lawsuit-without-basis', source: 'message', hits: 1, detections: 1 },
      { category: 'threat-home-visit', source: 'script', hits: 1, detections: 1 },
      { category: 'abuse', source: 'message', hits: 1, detections: 1 },
    ]);
    expect(report.byRule.map((row) => [row.ruleId, row.hits])).toEqual([
      ['language.abuse', 1],
      ['language.threat-arrest', 2],
      ['language.threat-home-visit', 1],
      ['language.threat-lawsuit-without-basis', 1],
    ]);
    expect(report.events.map((event) => [event.type, event.source, event.operatorId, event.hits.map((hit) => hit.term)])).toEqual([
      ['ProhibitedLanguageDetected', 'notes', 'collector-ana', ['jail']],
      ['ProhibitedLanguageDetected', 'message', 'collector-bob', ['deadbeat', 'we will sue']],
      ['ProhibitedLanguageDetected', 'transcript', 'collector-wei', ['坐牢']],
      ['ScriptRejected', 'script', 'supervisor-sam', ['knock on your door']],
    ]);
    expect(report.events[0]).toMatchObject({ accountId: april.accounts.illinois, contactId: april.anaCalls[7], occurredAtUtc: '2026-04-08T14:13:00.000Z' });
    expect(report.events[3]).toMatchObject({ accountId: null, scriptId: expect.any(String), actorRole: 'supervisor' });
  });

  it('writes one row per hit after the counts, the same bytes in any order', () => {
    const { events } = compliantApril();
    const report = prohibitedLanguageReport(events, APRIL);

    const csv = prohibitedLanguageCsv(report);

    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,category,source,rule_id,hits,detections,term,event_id,event_type,occurred_at_utc,account_id,debtor_id,contact_id,script_id,operator_id,actor_role');
    expect(lines[2]).toBe('category,threat-arrest,,,2,2,,,,,,,,,,');
    expect(lines.filter((line) => line.startsWith('hit,'))).toHaveLength(5);
    expect(lines.find((line) => line.includes('坐牢'))).toMatch(/^hit,threat-arrest,transcript,language\.threat-arrest,,,坐牢,/);
    expect(prohibitedLanguageCsv(prohibitedLanguageReport([...events].reverse(), APRIL))).toBe(csv);
  });

  it('keeps to the period by the time of the event', () => {
    const { events } = compliantApril();

    expect(prohibitedLanguageReport(events, { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })).toMatchObject({ detections: 1, hits: 1 });
  });
});
