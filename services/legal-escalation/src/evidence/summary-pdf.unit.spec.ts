import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arrears/contracts';
import { InMemoryEventStore } from '@arrears/event-store';
import { buildPackage } from './build-package';
import { gatherCase } from './gather';
import { signerFromEnv } from './signer';
import { renderSummaryPdf, safe, type SummaryInput } from './summary-pdf';
import { appendCaseHistory, type CaseHistory } from './testing/case-history';
import { pdfText } from './testing/pdf-text';
import { contactLogOf } from './views/contacts';
import { decodeHistory } from './views/decode';
import { flagsOf } from './views/flags';
import { promisesAndPlansOf } from './views/promises-and-plans';
import { statementOf } from './views/statement';

describe('the PDF summary', () => {
  let history: CaseHistory;
  let events: EventEnvelope[];

  beforeAll(async () => {
    const store = new InMemoryEventStore();
    history = await appendCaseHistory(store);
    events = await gatherCase(store, history.streams, history.caseId);
  });

  const summaryOf = (changes: Partial<SummaryInput> = {}): SummaryInput => {
    const all = changes.events ?? events;
    const decoded = decodeHistory(all);
    return {
      caseId: history.caseId,
      accountId: history.accountId,
      reasons: history.reasons,
      requestedAt: history.requestedAt,
      keyId: '1b601c3c09491b06',
      historySha256: 'f'.repeat(64),
      events: all,
      decoded,
      statement: statementOf(decoded.events, history.accountId),
      contacts: contactLogOf(decoded.events),
      promisesAndPlans: promisesAndPlansOf(decoded.events),
      flags: flagsOf(decoded.events, history.accountId),
      ...changes,
    };
  };

  it('is the same bytes for the same input, rendered at different moments', async () => {
    // Only the clock is faked: pdfkit's own default dates (and a file ID made from them) would differ between the two.
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z'), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      const first = await renderSummaryPdf(summaryOf());
      jest.setSystemTime(new Date('2031-06-15T12:34:56.000Z'));
      const second = await renderSummaryPdf(summaryOf());
      expect(second.equals(first)).toBe(true);
      expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      jest.useRealTimers();
    }
  });

  it('dates the document at the request and derives its file ID from the document info, not from chance', async () => {
    const pdf = (await renderSummaryPdf(summaryOf(), { compress: false })).toString('latin1');
    expect(pdf).toContain('/CreationDate');
    expect(pdf.match(/\(D:(\d{14})Z\)/g)).toEqual(['(D:20270301090000Z)', '(D:20270301090000Z)']);
    const other = (await renderSummaryPdf(summaryOf({ caseId: randomUUID() }), { compress: false })).toString('latin1');
    const fileId = (text: string) => /\/ID \[<([0-9a-f]+)>/.exec(text)?.[1];
    expect(fileId(pdf)).toMatch(/^[0-9a-f]{32}$/);
    expect(fileId(other)).not.toBe(fileId(pdf));
  });

  it('states the case\'s key facts: parties, amounts, reasons, broken promises, the plan, contacts, flags and the timeline', async () => {
    const text = pdfText(await renderSummaryPdf(summaryOf()));
    const flat = text.replace(/\s+/g, ' ');
    for (const fact of [
      `Case ${history.caseId}`,
      'Acme Bank (acme)',
      'CC-1',
      'payment plan defaulted',
      'promise to pay broken',
      'no payment in 30 days',
      'USD 800.00',
      'USD 300.00 in 2 payment(s)',
      'USD 500.00 (principal USD 500.00',
      'Broken promises:',
      'USD 200.00 promised on 2026-12-02, due 2026-12-15',
      'doc-plan-7781',
      'now defaulted',
      'blocked (reg-f.call-hours)',
      'Complaints: 1 (0 upheld)',
      'dispute: set 2026-12-23 10:00 UTC',
      'Promise BROKEN',
      'Handoff 1 to legal started',
      '[encrypted personal data] (debtor id',
    ]) {
      expect(flat).toContain(fact);
    }
  });

  it('shows the debtor only as encrypted: no ciphertext, no plaintext the test events were made from', async () => {
    const text = pdfText(await renderSummaryPdf(summaryOf()));
    expect(text).not.toContain('pii:v1');
    expect(text).not.toContain('312 555');
    expect(text).not.toContain('late at night');
  });

  it('names the events it could not decode', async () => {
    const unknown = { ...events[0]!, eventId: randomUUID(), type: 'SomethingNobodyPublished', globalPosition: '999:1' } as EventEnvelope;
    const flat = pdfText(await renderSummaryPdf(summaryOf({ events: [...events, unknown] }))).replace(/\s+/g, ' ');
    expect(flat).toContain('Events not decoded');
    expect(flat).toContain(`${unknown.eventId} SomethingNobodyPublished`);
  });

  it('is what the package holds as summary.pdf', async () => {
    const pkg = await buildPackage({ caseId: history.caseId, accountId: history.accountId, reasons: history.reasons, requestedAt: history.requestedAt, events, signer: signerFromEnv({ NODE_ENV: 'test' }) });
    const pdf = pkg.items.find((item) => item.name === 'summary.pdf')?.bytes;
    const flat = pdfText(pdf ?? Buffer.alloc(0)).replace(/\s+/g, ' ');
    expect(flat).toContain(`History (events.jsonl) SHA-256: ${pkg.manifest.items[0]?.sha256}`);
    expect(flat).toContain('key 1b601c3c09491b06');
  });

  it('prints characters the standard fonts lack as ?, not as wrong glyphs', () => {
    expect(safe('Zahlung €12 – Müller “ok” 中文 😀')).toBe('Zahlung €12 – Müller “ok” ?? ?');
  });
});
