import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode, type Role } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { createTestSchema, rejection, type TestSchema } from '@arrears/testing';
import type { RosterCommandBody, RosterCommandEnvelope } from './domain/commands';
import { DEFAULT_ROSTER_POLICY } from './domain/policy';
import { evolve, initialState, type CaseProfile, type Roster, type RosterEvent } from './domain/roster';
import { ROSTER_EVENT_CATALOG, RosterCommands, rosterStream } from './roster-commands';

const profile: CaseProfile = { product: 'credit-card', currency: 'USD', balance: 120_000, daysPastDue: 45, bucket: '31-90', tier: 'medium', brokenPromises: 0 };

/** The roster command side on the real PostgreSQL event store: one stream per team, concurrent commands retried. */
describe('roster command side', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  let commands: RosterCommands;

  beforeAll(async () => {
    schema = await createTestSchema('roster_store');
    store = new PostgresEventStore({ pool: schema.pool, schema: schema.name });
    await store.migrate();
    commands = new RosterCommands(store, DEFAULT_ROSTER_POLICY);
  });

  afterAll(async () => {
    await schema?.drop();
  });

  const team = () => `t_${randomBytes(4).toString('hex')}`;

  function envelope(body: RosterCommandBody, options: { commandId?: string; role?: Role; caseId?: string } = {}): RosterCommandEnvelope {
    const role = options.role ?? (body.type === 'AssignCase' || body.type === 'ReleaseCase' ? 'system' : 'supervisor');
    return {
      ...body,
      commandId: options.commandId ?? randomUUID(),
      schemaVersion: 1,
      metadata: { correlationId: randomUUID(), actorId: role === 'system' ? 'system:case-workflow' : 'supervisor-2', actorRole: role, now: '2026-12-01T09:00:00.000Z', ...(options.caseId ? { caseId: options.caseId } : {}) },
    };
  }

  async function roster(teamId: string): Promise<{ state: Roster; events: RosterEvent[] }> {
    const events = (await store.readStream(rosterStream(teamId))).map((stored) => ROSTER_EVENT_CATALOG.decode(stored) as RosterEvent);
    return { state: events.reduce(evolve, initialState()), events };
  }

  it('concurrent AssignCase commands for different cases never put a collector beyond capacity; each case is decided once', async () => {
    const teamId = team();
    await commands.handle(envelope({ type: 'RegisterCollector', data: { teamId, collectorId: 'ana', name: 'Ana Ruiz', specialties: ['credit-card'], capacity: 3 } }));
    await commands.handle(envelope({ type: 'RegisterCollector', data: { teamId, collectorId: 'bo', name: 'Bo Chen', specialties: [], capacity: 2 } }));

    const cases = Array.from({ length: 12 }, () => randomUUID());
    const outcomes = await Promise.all(cases.map((caseId) => commands.handle(envelope({ type: 'AssignCase', data: { teamId, caseId, profile } }, { caseId }))));
    expect(outcomes.every((outcome) => outcome.events.length === 1)).toBe(true);

    const { state, events } = await roster(teamId);
    expect(state.collectors['ana']?.open).toHaveLength(3);
    expect(state.collectors['bo']?.open).toHaveLength(2);
    const decided = events.filter((event) => event.type === 'CaseAssigned' || event.type === 'CaseUnassigned');
    expect(decided.map((event) => event.data.caseId).sort()).toEqual([...cases].sort());
    expect(decided.filter((event) => event.type === 'CaseUnassigned')).toHaveLength(7);
    // Every assignment was decided on the load as it stood: a collector's cases never exceeded capacity at any point.
    let replay = initialState();
    for (const event of events) {
      replay = evolve(replay, event);
      for (const collector of Object.values(replay.collectors)) expect(collector.open.length).toBeLessThanOrEqual(collector.capacity);
    }
  });

  it('a repeated command id changes nothing, sent again or at the same time', async () => {
    const teamId = team();
    await commands.handle(envelope({ type: 'RegisterCollector', data: { teamId, collectorId: 'ana', name: 'Ana Ruiz', specialties: [], capacity: 5 } }));
    const caseId = randomUUID();
    const assign = envelope({ type: 'AssignCase', data: { teamId, caseId, profile } });
    const first = await commands.handle(assign);
    expect(first.events.map((event) => event.type)).toEqual(['CaseAssigned']);
    const again = await commands.handle(assign);
    expect(again).toEqual({ ...first, repeated: true });

    const release = envelope({ type: 'ReleaseCase', data: { teamId, caseId, outcome: 'success' } });
    // At the same time: each derives the same event ids from the command id, and the store writes them once (a copy
    // that loses the race is told the original result, by the store or by handleCommand on its retry).
    const together = await Promise.all([commands.handle(release), commands.handle(release), commands.handle(release)]);
    const written = (outcome: { events: readonly { eventId: string; streamPosition: number }[] }) => outcome.events.map((event) => `${event.eventId}@${event.streamPosition}`).join();
    expect(new Set(together.map(written)).size).toBe(1);

    const { state, events } = await roster(teamId);
    expect(events.map((event) => event.type)).toEqual(['CollectorRegistered', 'CaseAssigned', 'CaseReleased']);
    expect(state.collectors['ana']).toMatchObject({ open: [], outcomes: { success: 1, failure: 0, neutral: 0 } });
  });

  it("one stream per team, `main` when none is named; a refusal or a case id that is not the command's writes nothing", async () => {
    const teamId = team();
    await commands.handle(envelope({ type: 'RegisterCollector', data: { teamId, collectorId: 'ana', name: 'Ana Ruiz', specialties: [], capacity: 1 } }));
    const outcome = await commands.handle(envelope({ type: 'RegisterCollector', data: { collectorId: `ana-${teamId}`, name: 'Ana Ruiz', specialties: [], capacity: 1 } }));
    expect(outcome.streamId).toBe('roster-main');
    expect((await roster(teamId)).events).toHaveLength(1);

    const refused = await rejection(commands.handle(envelope({ type: 'AssignCase', data: { teamId, caseId: randomUUID(), profile } }, { role: 'collector' })));
    expect(refused).toMatchObject({ code: ErrorCode.FORBIDDEN, field: 'metadata.actorRole' });
    const mismatched = await rejection(commands.handle(envelope({ type: 'AssignCase', data: { teamId, caseId: randomUUID(), profile } }, { caseId: randomUUID() })));
    expect(mismatched).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'metadata.caseId' });
    expect((await roster(teamId)).events).toHaveLength(1);
  });
});
