import type { EventEnvelope } from '@arrears/contracts';
import { decodeHistory, quietHoursReport } from './index';
import { APRIL, compliantApril } from './testing/april';

describe('reading the history', () => {
  it('keeps apart the events it cannot read and says how many, without failing the report', () => {
    const { events } = compliantApril();
    const first = events[0] as EventEnvelope;
    const foreign: EventEnvelope = { ...first, eventId: '00000000-0000-4000-8000-000000000001', streamId: 'ledger-1', globalPosition: first.globalPosition };
    const unknownType: EventEnvelope = { ...first, eventId: '00000000-0000-4000-8000-000000000002', type: 'AccountRenamed' };
    const refused: EventEnvelope = { ...first, eventId: '00000000-0000-4000-8000-000000000003', data: { accountId: 'not-a-uuid' } };

    const history = decodeHistory([...events, foreign, unknownType, refused]);

    expect(history.events).toHaveLength(events.length);
    expect(history.unreadable.map((event) => [event.eventId, event.problem.split(':')[0]])).toEqual([
      ['00000000-0000-4000-8000-000000000001', 'no service owns streams of category "ledger"'],
      ['00000000-0000-4000-8000-000000000002', 'accounts publishes no event AccountRenamed'],
      ['00000000-0000-4000-8000-000000000003', 'AccountPlaced v1 could not be read'],
    ]);
    expect(quietHoursReport(history, APRIL).unreadableEvents).toBe(3);
  });
});
