/**
 * What every projection must do with events it has already seen, as one suite each service runs with its own realistic
 * history (like the migration suite): fed twice, replayed under another consumer name, rebuilt in a fresh schema or hit
 * by concurrent duplicates, it writes the same rows as when fed once.
 */
import type { EventEnvelope } from '@arrears/contracts';
import { feed } from './table-inspection';
import { fedOnce, freshReadModels, type FedReadModel } from './test-read-model';

export interface ProjectionReplayCase<World extends { readonly events: readonly EventEnvelope[] }> {
  /** e.g. `PromisesProjection`: names the suite. */
  readonly name: string;
  /** The projection's consumer: replays run under `<consumer>-v2` and `-v3`, a rebuild under `<consumer>-rebuild`. */
  readonly consumer: string;
  /** A realistic history, made afresh for each test: `events` in the order they were committed, rows in every table. */
  readonly history: () => World;
  /** A read model of its own for `world` (which may hold what its projection needs, a personal-data vault, say). */
  readonly readModel: (world: World) => Promise<FedReadModel>;
  /** New events of the world's streams after its history, each then delivered four times at once. */
  readonly later: (world: World) => readonly EventEnvelope[];
  /** Whether processOnce records the event; false for one the read model ignores unread. Default: every event. */
  readonly recorded?: (event: EventEnvelope) => boolean;
}

export function describeProjectionReplays<World extends { readonly events: readonly EventEnvelope[] }>(subject: ProjectionReplayCase<World>): void {
  describe(`${subject.name} fed events it has seen`, () => {
    const readModel = freshReadModels(subject.readModel);
    /** A read model fed `events` once, in order, and the rows that made. */
    const fed = (world: World, events: readonly EventEnvelope[], consumer?: string) => fedOnce(() => readModel(world), events, consumer);
    // The world's streams may append to `events` later on: each test takes the history as it stands first.
    const historyOf = (world: World) => [...world.events];

    it('the same events fed twice yield the same rows: each redelivered at once, then the whole history again, then backwards', async () => {
      const world = subject.history();
      const events = historyOf(world);
      const { rows: expected } = await fed(world, events);
      // A table the history leaves empty would prove nothing here.
      expect(Object.keys(expected).filter((table) => expected[table]?.length === 0)).toEqual([]);

      const twice = await readModel(world);
      const projection = twice.projection();
      for (const event of events) {
        await projection.handle(event);
        await projection.handle(event);
      }
      expect(await twice.snapshot()).toEqual(expected);

      await feed(projection, events);
      expect(await twice.snapshot()).toEqual(expected);
      // Stale redeliveries after later events: none may bring back what a later event changed.
      await feed(projection, [...events].reverse());
      expect(await twice.snapshot()).toEqual(expected);
      // Each event recorded once, by the transaction that applied it; the events ignored unread are not recorded.
      const recorded = events.filter((event) => subject.recorded?.(event) ?? true).map((event) => event.eventId);
      expect(await twice.processed()).toEqual([...recorded].sort());
    });

    it('concurrent duplicates of a new event: one applies, the rest find it done', async () => {
      const world = subject.history();
      const events = historyOf(world);
      const { model } = await fed(world, events);
      const later = subject.later(world);
      expect(later.length).toBeGreaterThan(0);

      const projection = model.projection();
      for (const event of later) await Promise.all(Array.from({ length: 4 }, () => projection.handle(event)));
      const { rows: once } = await fed(world, [...events, ...later]);
      expect(await model.snapshot()).toEqual(once);
    });

    it('a replay under another consumer name, which processOnce does not recognise, is stopped by the position guards alone', async () => {
      const world = subject.history();
      const events = historyOf(world);
      const { model, rows: expected } = await fed(world, events);

      await feed(model.projection(`${subject.consumer}-v2`), events);
      expect(await model.snapshot()).toEqual(expected);
      // Backwards, each event stale: none may undo what a later event did.
      await feed(model.projection(`${subject.consumer}-v3`), [...events].reverse());
      expect(await model.snapshot()).toEqual(expected);
    });

    it('a replay into a fresh schema gives identical rows, however the streams interleave', async () => {
      const world = subject.history();
      const events = historyOf(world);
      const { rows: original } = await fed(world, events);

      // Only each stream's own order matters.
      const interleaved = [...events].sort((x, y) => x.streamPosition - y.streamPosition || x.streamId.localeCompare(y.streamId));
      const { rows: rebuilt } = await fed(world, interleaved, `${subject.consumer}-rebuild`);
      expect(rebuilt).toEqual(original);
    });
  });
}
