import { tallyChanges, type TalliedContact } from './collector-tally';

describe('collector-day tallies', () => {
  const allowed: TalliedContact = { operatorId: 'collector-7', intendedAt: new Date('2026-04-06T23:30:00.000Z'), decision: 'allowed', outcome: null, conversation: null, rightParty: null };
  const zero = { attempts: 0, blocked: 0, rightPartyContacts: 0, conversations: 0, promisesOffered: 0 };

  it('counts a new contact on its collector’s UTC day', () => {
    expect(tallyChanges(null, allowed)).toEqual([{ operatorId: 'collector-7', day: '2026-04-06', tally: { ...zero, attempts: 1 } }]);
    expect(tallyChanges(null, { ...allowed, decision: 'blocked' })).toEqual([{ operatorId: 'collector-7', day: '2026-04-06', tally: { ...zero, blocked: 1 } }]);
  });

  it('adds only what an outcome changes, and nothing when it changes nothing', () => {
    const promised = { ...allowed, outcome: 'promise-offered', conversation: true, rightParty: true } as const;
    expect(tallyChanges(allowed, promised)).toEqual([{ operatorId: 'collector-7', day: '2026-04-06', tally: { ...zero, rightPartyContacts: 1, conversations: 1, promisesOffered: 1 } }]);
    expect(tallyChanges(promised, promised)).toEqual([]);
    // An outcome recorded again, differently: the first one is taken back.
    expect(tallyChanges(promised, { ...promised, outcome: 'refused' })).toEqual([{ operatorId: 'collector-7', day: '2026-04-06', tally: { ...zero, promisesOffered: -1 } }]);
  });

  it('moves a contact decided again to its new collector and day', () => {
    const moved = { ...allowed, operatorId: 'collector-9', intendedAt: new Date('2026-04-07T00:30:00.000Z') };
    expect(tallyChanges({ ...allowed, decision: 'blocked' }, moved)).toEqual([
      { operatorId: 'collector-7', day: '2026-04-06', tally: { ...zero, blocked: -1 } },
      { operatorId: 'collector-9', day: '2026-04-07', tally: { ...zero, attempts: 1 } },
    ]);
  });
});
