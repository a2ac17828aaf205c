/**
 * What a read model that snapshots case segments must do with its two streams of each case (`CaseSegments`), as one
 * suite each such service runs with its own history: events applied once and in order, account streams with gaps,
 * snapshots that depend on when things happened rather than on which stream arrived first.
 */
import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { AccountStream } from './history';
import { feed } from './table-inspection';
import { fedOnce, freshReadModels, type FedReadModel } from './test-read-model';

/** A realistic history of several cases, each with its own stream and its account stream. */
export interface CaseSegmentsWorld {
  /** Every event of both kinds of stream, in the order they happened. */
  readonly events: readonly EventEnvelope[];
  /** The cases' own streams (`promise-<accountId>`…), the first with three events or more, the second with two or more. */
  readonly ownStreams: readonly { readonly events: readonly EventEnvelope[] }[];
  /** The cases' account streams, one of them with a RiskTierChanged. */
  readonly accountStreams: readonly AccountStream[];
}

export interface CaseSegmentsCase {
  /** e.g. `PromisesProjection`: names the suite. */
  readonly name: string;
  readonly history: () => CaseSegmentsWorld;
  /** A read model of its own, in a fresh schema. */
  readonly readModel: () => Promise<FedReadModel>;
  /** The table of the rows that snapshot a case's segments (`promises`): `aging_bucket` and `risk_tier` columns. */
  readonly snapshots: string;
  /** The events of case `accountId`'s own stream that make one such row taken at `at` (a promise recorded then). */
  readonly snapshotAt: (accountId: string, at: string) => readonly EventEnvelope[];
}

type Row = Readonly<Record<string, unknown>>;

export function describeCaseSegments(subject: CaseSegmentsCase): void {
  describe(`${subject.name} case segments`, () => {
    const readModel = freshReadModels(subject.readModel);
    const fed = (events: readonly EventEnvelope[]) => fedOnce(readModel, events);
    const rowsOf = async (model: FedReadModel, table: string) => ((await model.snapshot())[table] ?? []) as readonly Row[];

    it('takes the bucket and tier in effect when a row was taken, whichever stream is delivered first', async () => {
      const world = subject.history();
      const { rows: expected } = await fed(world.events);
      const own = world.ownStreams.flatMap((stream) => stream.events);
      const account = world.accountStreams.flatMap((stream) => stream.events);

      // Every account event after every event of the own streams: the segment changes arrive late and correct the rows.
      expect((await fed([...own, ...account])).rows).toEqual(expected);
      // Every account event first: a tier that changed after a row was taken must not reach back to it.
      expect((await fed([...account, ...own])).rows).toEqual(expected);
    });

    it('keeps a row’s snapshot when the case’s tier changes later, and moves it for a change that happened before it but arrived after', async () => {
      const model = await readModel();
      const projection = model.projection();
      const account = new AccountStream();
      account.riskTier('low', 25, '2026-04-01T05:00:00.000Z');
      await feed(projection, account.events);
      await feed(projection, subject.snapshotAt(account.accountId, '2026-04-06T10:00:00.000Z'));
      const snapshot = async () => (await rowsOf(model, subject.snapshots)).map((row) => [row['aging_bucket'], row['risk_tier']]);
      expect(await snapshot()).toEqual([[null, 'low']]);

      // Later in the day the tier rises: the row was taken at low risk and stays so.
      await projection.handle(account.riskTier('high', 81, '2026-04-06T18:00:00.000Z'));
      expect(await snapshot()).toEqual([[null, 'low']]);

      // A bucket set at 09:00 whose event is delivered only now: it was in effect at 10:00.
      await projection.handle(account.agingBucket('1-30', 5, '2026-04-06T09:00:00.000Z'));
      expect(await snapshot()).toEqual([['1-30', 'low']]);
      // The case itself is at its latest of each.
      expect(await rowsOf(model, 'case_segments')).toEqual([expect.objectContaining({ aging_bucket: '1-30', risk_tier: 'high', risk_score: 81 })]);
    });

    it('refuses an event of a case’s own stream whose predecessor is not applied yet, keeps no record of it, and applies it after', async () => {
      const world = subject.history();
      const [stream, other] = world.ownStreams;
      if (stream === undefined || stream.events.length < 3 || other === undefined || other.events.length < 2) throw new Error('the history needs own streams of 3 and 2 events');
      const model = await readModel();
      const projection = model.projection();
      await feed(projection, stream.events.slice(0, 1));

      const early = stream.events[2]!;
      const error = await rejection(projection.handle(early));
      expect(error).toBeInstanceOf(ArrearsError);
      expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'streamPosition', details: { expected: 1, actual: 2 } });
      expect(await model.processed()).toEqual([stream.events[0]!.eventId]);

      await feed(projection, [stream.events[1]!, early, ...stream.events.slice(3)]);
      expect(await model.snapshot()).toEqual((await fed(stream.events)).rows);

      // The first event seen of a stream must be its first.
      expect(await rejection(projection.handle(other.events[1]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 0, actual: 1 } });
    });

    it('applies an account stream with gaps: the positions of the account events it is not given are not needed', async () => {
      const world = subject.history();
      const account = [...world.accountStreams].sort((x, y) => y.events.length - x.events.length)[0];
      const [first, second] = account?.events ?? [];
      const last = account?.events.at(-1);
      if (account === undefined || first === undefined || second === undefined || last === undefined || last === second) throw new Error('the history needs an account stream of 3 events');
      const model = await readModel();
      await feed(model.projection(), [first, second, last]);

      const segment = last.type === 'AgingBucketChanged' ? 'aging_bucket' : 'risk_tier';
      expect(await rowsOf(model, 'case_segments')).toEqual([
        expect.objectContaining({ account_id: account.accountId, account_position: last.streamPosition, [segment]: (last.data as { to: string }).to }),
      ]);
    });

    it('ignores the other account events without reading them', async () => {
      const model = await readModel();
      const account = new AccountStream();
      const flagged = account.append('AccountFlagged', { flag: 'dispute', reason: 'Disputes the interest' }, '2026-04-02T10:00:00.000Z');
      // Even one this contract version does not know, or with data it would refuse.
      await model.projection().handle({ ...flagged, eventId: randomUUID(), type: 'SomethingNewHappened', data: { whatever: true } });
      await model.projection().handle(flagged);
      const tables = await model.snapshot();
      expect(Object.keys(tables).filter((table) => tables[table]?.length !== 0)).toEqual([]);
      expect(await model.processed()).toEqual([]);
    });

    it('refuses an event on the wrong stream or of a case other than its stream’s, and a segment change the contract refuses, changing nothing', async () => {
      const world = subject.history();
      const { model, rows: before } = await fed(world.events);
      const projection = model.projection();
      const [account, otherAccount] = world.accountStreams;
      const own = world.ownStreams[0]?.events[0];
      const tier = world.accountStreams.flatMap((stream) => stream.events).find((event) => event.type === 'RiskTierChanged');
      if (account === undefined || otherAccount === undefined || own === undefined || tier === undefined) throw new Error('the history needs two account streams, a RiskTierChanged and an own stream');
      const refused = (event: EventEnvelope) => rejection(projection.handle({ ...event, eventId: randomUUID() }));

      const category = own.streamId.slice(0, own.streamId.indexOf('-'));
      expect(await refused({ ...own, streamId: `${category}-${randomUUID()}` })).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });
      expect(await refused({ ...account.events[0]!, streamId: `contact-${account.accountId}` })).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });
      expect(await refused({ ...account.events[0]!, streamId: `account-${otherAccount.accountId}` })).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });
      expect(await refused({ ...tier, streamPosition: 50, data: { ...tier.data, to: 'extreme' } })).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.to' });
      expect(await model.snapshot()).toEqual(before);
    });
  });
}
