import { caseStateAt, diffSnapshots, initialSnapshot, type CaseSnapshot } from './index';
import { MOMENTS, PROMISE_ID, realisticCase } from './testing/realistic-case';

describe('what changed between two moments', () => {
  const { events } = realisticCase();

  it('lists each changed field by path with before and after, in a fixed order (depth first, keys sorted)', () => {
    // From the evening the promise was made to the morning the payment was posted.
    const before = caseStateAt(events, MOMENTS.promiseMade);
    const after = caseStateAt(events, '2026-12-06T06:00:01.250Z');
    expect(diffSnapshots(before, after)).toEqual([
      { path: '/account/balance/principal', kind: 'changed', before: 80_000, after: 75_000 },
      { path: '/account/balance/total', kind: 'changed', before: 80_000, after: 75_000 },
      { path: '/account/payments/count', kind: 'changed', before: 0, after: 1 },
      { path: '/account/payments/total', kind: 'changed', before: 0, after: 5_000 },
      { path: '/asOf/at', kind: 'changed', before: MOMENTS.promiseMade, after: '2026-12-06T06:00:01.250Z' },
      { path: '/contact/attempts/blocked', kind: 'changed', before: 1, after: 2 },
      { path: '/contact/attempts/blockedByRule/pref.inconvenient-time', kind: 'added', after: 1 },
      { path: '/contact/attempts/blockedByRule/reg-f.after-conversation', kind: 'added', after: 1 },
      { path: '/contact/lastDecision/contactId', kind: 'changed', before: 'c0000001-0000-4000-8000-000000000003', after: 'c0000001-0000-4000-8000-000000000004' },
      { path: '/contact/lastDecision/intendedAt', kind: 'changed', before: '2026-12-01T15:30:00.000Z', after: '2026-12-02T16:00:00.000Z' },
      { path: '/contact/lastDecision/nextAllowedAt', kind: 'changed', before: null, after: '2026-12-08T23:00:00.000Z' },
      { path: '/contact/lastDecision/result', kind: 'changed', before: 'allowed', after: 'blocked' },
      { path: `/promises/${PROMISE_ID}/paid`, kind: 'changed', before: 0, after: 5_000 },
      { path: '/replayed/events', kind: 'changed', before: 22, after: 27 },
      { path: '/replayed/lastPosition', kind: 'changed', before: '5019:0', after: '5024:0' },
      { path: '/replayed/unread', kind: 'changed', before: 0, after: 1 },
    ]);
  });

  it('shows a new entity as one addition holding all of it, and arrays as whole values', () => {
    const changes = diffSnapshots(caseStateAt(events, MOMENTS.promiseMade), caseStateAt(events, MOMENTS.end));
    const plans = changes.filter((change) => change.path.startsWith('/plans/'));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ kind: 'added', after: { status: 'cancelled', instalmentsPaid: 2 } });
    expect(changes.find((change) => change.path === '/legal/escalationReasons')).toMatchObject({ kind: 'changed', before: [], after: ['Wilful default flagged by supervisor-2', 'Breathing space ended on 2027-05-06'] });
    expect(changes.map((change) => change.path)).toEqual([...changes.map((change) => change.path)].sort()); // sorted keys give sorted pointers here
  });

  it('is empty between a snapshot and itself, and runs backwards as the mirror image', () => {
    const a = caseStateAt(events, MOMENTS.promiseBroken);
    const b = caseStateAt(events, MOMENTS.planAccepted);
    expect(diffSnapshots(a, caseStateAt(events, MOMENTS.promiseBroken))).toEqual([]);
    const mirror = diffSnapshots(b, a).map((change) =>
      change.kind === 'added' ? { path: change.path, kind: 'removed', before: change.after } : change.kind === 'removed' ? { path: change.path, kind: 'added', after: change.before } : { ...change, before: change.after, after: change.before },
    );
    expect(mirror).toEqual(diffSnapshots(a, b));
  });

  it('writes keys holding / or ~ as a JSON Pointer does', () => {
    const base = initialSnapshot();
    const changed: CaseSnapshot = { ...base, contact: { ...base.contact, attempts: { ...base.contact.attempts, blockedByRule: { 'odd/rule~id': 1 } } } };
    expect(diffSnapshots(base, changed)).toEqual([{ path: '/contact/attempts/blockedByRule/odd~1rule~0id', kind: 'added', after: 1 }]);
  });
});
