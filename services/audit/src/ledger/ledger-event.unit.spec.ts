import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arrears/contracts';
import { canonicalJson } from './canonical-json';
import { columnsKey, differingColumns, differingFields, ledgerCasesOf, ledgerEvent, ledgerText } from './ledger-event';
import { storedEvents } from './testing/model';

describe('the event as the ledger records it', () => {
  const [event] = storedEvents(1) as [EventEnvelope];

  it('is the stored envelope without metadata.trace, which the relay rewrites on the way to NATS', () => {
    const traced = { ...event, metadata: { ...event.metadata, trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } } };
    const relayed = { ...event, metadata: { ...event.metadata, trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01' } } };
    expect(ledgerText(traced)).toBe(ledgerText(relayed));
    expect(ledgerText(traced)).toBe(canonicalJson(event));
    expect(ledgerEvent(event)).toBe(event);
    expect(ledgerEvent(traced).metadata).not.toHaveProperty('trace');
  });

  it('belongs to the case in its metadata, the case its data names, and the case whose own stream holds it', () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()].sort() as [string, string, string];
    const base = { ...event, streamId: `roster-team-1`, metadata: { ...event.metadata, caseId: c } };
    expect(ledgerCasesOf(base)).toEqual([c]);
    expect(ledgerCasesOf({ ...base, data: { caseId: a.toUpperCase() } })).toEqual([a, c]);
    expect(ledgerCasesOf({ ...base, data: { caseId: 'not-a-case' } })).toEqual([c]);
    expect(ledgerCasesOf({ ...base, streamId: `promise-${b}`, data: { caseId: a } })).toEqual([a, b, c]);
    expect(ledgerCasesOf({ ...base, streamId: `plan-${c}`, data: { caseId: c } })).toEqual([c]);
    const { caseId: _none, ...noCase } = base.metadata;
    expect(ledgerCasesOf({ ...base, metadata: noCase })).toEqual([]);
    expect(ledgerCasesOf({ ...base, metadata: noCase, streamId: `contact-${a}` })).toEqual([]);
  });

  it('has its derived columns in one text, and names the ones that differ', () => {
    const key = columnsKey(event, ledgerCasesOf(event));
    expect(key.split('\u001f')).toEqual([
      event.eventId,
      event.streamId,
      String(event.streamPosition),
      event.globalPosition,
      event.type,
      '1',
      '2026-11-29T09:30:00.000Z',
      '2026-11-29T09:30:01.000Z',
      'collector-7',
      'collector',
      event.metadata.caseId,
    ]);
    expect(columnsKey({ ...event, occurredAt: '2026-11-29T10:30:00.000+01:00' }, ledgerCasesOf(event))).toBe(key);
    const moved = columnsKey({ ...event, streamPosition: 9, type: 'PaymentReversed' }, []);
    expect(differingColumns(key, moved)).toEqual(['stream_position', 'event_type', 'case_ids']);
  });

  it('names the fields two values differ in', () => {
    expect(differingFields({ data: { amount: { minor: 1 }, list: [1, 2] }, type: 'A' }, { data: { amount: { minor: 2 }, list: [1, 3] }, type: 'A' })).toEqual([
      'data.amount.minor',
      'data.list[1]',
    ]);
    expect(differingFields({ a: 1 }, { a: 1, b: 2 })).toEqual(['b']);
  });
});
