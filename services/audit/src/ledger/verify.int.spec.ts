import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import { newEvent } from '@arrears/testing';
import type { PoolClient } from 'pg';
import { eventHash, globalLink } from './chain';
import { columnsKey, ledgerCasesOf, ledgerText } from './ledger-event';
import type { LedgerProblem } from './problems';
import { signerFromEnv } from './signer';
import { asAttacker, openHarness, rechain, renumber, writeHistory, type History, type LedgerHarness } from './testing/harness';
import { verifyLedger, type LedgerReport } from './verify';
import { verifyCase } from './verify-case';

/**
 * The store as verification reads it: PostgreSQL's store gives its rows as text, which verification writes as the
 * ledger's text without parsing (store-events.ts); any other store is read through the port's `readAll` — here the
 * same store with nothing but the port showing. Every test runs both ways and must find the same.
 */
const STORE_READS: readonly [string, (store: EventStore) => EventStore][] = [
  ['as text (PostgresEventStore.readAllText)', (store) => store],
  ["through the port's readAll", (store) => portOnly(store)],
];

function portOnly(store: EventStore): EventStore {
  return {
    appendToStream: (streamId, events, options) => store.appendToStream(streamId, events, options),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribe: (target, options) => store.subscribe(target, options),
    deleteStream: (streamId, options) => store.deleteStream(streamId, options),
    truncateStream: (streamId, before) => store.truncateStream(streamId, before),
    close: () => store.close(),
  };
}

/**
 * Verification of a real ledger against a real store, clean and after each kind of tampering an owner of the
 * database could do: switch the triggers off, change rows, (perhaps) rewrite the hashes to match, switch them on.
 * Each test checks that the first problem names the bad entry: its seq and its event.
 */
describe.each(STORE_READS)('verifying the ledger, reading the store %s', (_read, view) => {
  const publicKeys = [signerFromEnv({ NODE_ENV: 'test' }).publicKey];
  let harness: LedgerHarness;
  let history: History;
  let events: EventEnvelope[];

  /** A history of 29 events fed to the ledger, with checkpoints after the 20th and the last. */
  beforeEach(async () => {
    harness = await openHarness();
    history = await writeHistory(harness.store);
    await harness.feed({ limit: 20 });
    await harness.ledger.checkpoint();
    await harness.feed();
    await harness.ledger.checkpoint();
    events = await harness.store.readAll();
    expect(events).toHaveLength(29);
  });

  afterEach(async () => {
    await harness?.drop();
  });

  // A small page size, so that every check runs across page boundaries.
  const verify = (options: { requireComplete?: boolean } = {}) => verifyLedger({ ledger: harness.ledger, store: view(harness.store), publicKeys, pageSize: 7, ...options });
  const eventAt = (seq: number) => events[seq - 1] as EventEnvelope;
  const named = (report: LedgerReport) => report.problems.map((problem) => `${problem.kind}@${problem.seq}:${problem.check}`);
  const first = (report: LedgerReport): Partial<LedgerProblem> | null => report.firstProblem && { kind: report.firstProblem.kind, seq: report.firstProblem.seq, eventId: report.firstProblem.eventId };

  /** The seqs of two PaymentPosted entries of one case, apart. */
  function paymentsOfOneCase(): [number, number] {
    const caseId = history.cases[0];
    const seqs = events.flatMap((event, index) => (event.type === 'PaymentPosted' && event.metadata.caseId === caseId ? [index + 1] : []));
    return [seqs[0] as number, seqs[seqs.length - 1] as number];
  }

  /** An entry for an event the store never had, linked to the entry before it as the append function would. */
  async function forgeEntry(client: PoolClient, seq: number, event: EventEnvelope): Promise<void> {
    const previous = await client.query<{ global_hash: Buffer }>(`select global_hash from ${harness.table('entries')} where seq = $1`, [seq - 1]);
    const text = ledgerText(event);
    const hash = eventHash(text);
    const cases = ledgerCasesOf(event);
    await client.query(
      `insert into ${harness.table('entries')} (seq, event_id, case_ids, stream_id, stream_position, global_position, event_type, schema_version,
         occurred_at, recorded_at, actor_id, actor_role, envelope, event_hash, global_hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [seq, event.eventId, cases, event.streamId, event.streamPosition, event.globalPosition, event.type, event.schemaVersion, event.occurredAt, event.recordedAt,
        event.metadata.actorId, event.metadata.actorRole, text, hash, globalLink(previous.rows[0]?.global_hash ?? Buffer.alloc(32), seq, hash)],
    );
    expect(columnsKey(event, cases)).toContain(event.eventId);
  }

  /** An event of no case that the store never had, placed in the global order between entries `seq - 1` and `seq`. */
  function foreignEvent(seq: number): EventEnvelope {
    const before = eventAt(seq - 1).globalPosition.split(':').map(Number) as [number, number];
    const { caseId: _none, ...metadata } = newEvent().metadata;
    return { ...newEvent('ContactPreferenceSet', { channel: 'letter' }), metadata, streamId: `preferences-${randomUUID()}`, streamPosition: 0, globalPosition: `${before[0]}:${before[1] + 1}`, recordedAt: eventAt(seq).recordedAt } as EventEnvelope;
  }

  it('finds a clean ledger whole: every entry, case entry, store event and checkpoint checked', async () => {
    const report = await verify();
    expect(report).toEqual({
      ok: true,
      headSeq: 29,
      entriesChecked: 29,
      caseEntriesChecked: events.reduce((sum, event) => sum + ledgerCasesOf(event).length, 0),
      cases: 4,
      storeCompared: true,
      storeEventsChecked: 29,
      behind: 0,
      checkpointsChecked: 2,
      firstProblem: null,
      problems: [],
      problemCount: 0,
    });
    for (const caseId of history.cases) {
      const caseReport = await verifyCase({ ledger: harness.ledger, caseId, store: harness.store, pageSize: 3 });
      const ofCase = events.filter((event) => ledgerCasesOf(event).includes(caseId));
      expect(caseReport).toMatchObject({ ok: true, caseId, entriesChecked: ofCase.length, storeEventsChecked: ofCase.length, behind: 0, problems: [] });
      expect(caseReport.head.caseSeq).toBe(ofCase.length);
    }
  });

  it('checks the ledger\'s own evidence without a store: hashes, chains and checkpoints', async () => {
    expect(await verifyLedger({ ledger: harness.ledger, publicKeys, pageSize: 7 })).toMatchObject({ ok: true, storeCompared: false, storeEventsChecked: 0, entriesChecked: 29, checkpointsChecked: 2 });
    await asAttacker(harness, async (client) => {
      await client.query(`update ${harness.table('entries')} set envelope = replace(envelope, '"minor":2001', '"minor":1') where seq = 12`);
      await rechain(client, harness.table);
    });
    // Rewritten to be consistent: without the store, only the signed checkpoints refute it.
    const report = await verifyLedger({ ledger: harness.ledger, publicKeys, pageSize: 7 });
    expect(named(report)).toEqual(['checkpoint@20:checkpoint-heads', 'checkpoint@20:checkpoint-heads', 'checkpoint@29:checkpoint-heads', 'checkpoint@29:checkpoint-heads']);
  });

  it('reports progress as it reads', async () => {
    const seen: number[] = [];
    await verifyLedger({ ledger: harness.ledger, store: view(harness.store), publicKeys, pageSize: 10, onProgress: (progress) => seen.push(progress.entries) });
    expect(seen[seen.length - 1]).toBe(29);
  });

  it('counts store events not yet recorded as the ledger catching up, or as missing when it must be complete', async () => {
    await harness.store.appendToStream(`account-${history.cases[2]}`, [newEvent('PaymentPosted', { amount: { minor: 1, currency: 'USD' } }, history.cases[2])], { expectedVersion: 'any' });
    expect(await verify()).toMatchObject({ ok: true, behind: 1, storeEventsChecked: 30 });
    const complete = await verify({ requireComplete: true });
    const [latest] = await harness.store.readAll({ after: events[28]?.globalPosition });
    expect(first(complete)).toEqual({ kind: 'deleted', seq: 30, eventId: latest?.eventId });
  });

  describe('names the first bad entry when an entry was', () => {
    it('modified: its text no longer hashes to its event hash, and it differs from the store, naming the field', async () => {
      await asAttacker(harness, (client) => client.query(`update ${harness.table('entries')} set envelope = replace(envelope, '"minor":2001', '"minor":1') where seq = 12`).then(() => undefined));
      expect(eventAt(12).data).toMatchObject({ amount: { minor: 2001 } });
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(first(report)).toEqual({ kind: 'modified', seq: 12, eventId: eventAt(12).eventId });
      // The chain recomputed from the texts differs from there on, so the checkpoints after it disagree too.
      expect(named(report)).toEqual(['modified@12:event-hash', 'modified@12:store', 'checkpoint@20:checkpoint-heads', 'checkpoint@29:checkpoint-heads']);
      expect(report.problems[1]?.detail).toBe("differs from the event store's copy of the event; changed: data.amount.minor");
      const caseReport = await verifyCase({ ledger: harness.ledger, caseId: eventAt(12).metadata.caseId as string, store: harness.store });
      expect(caseReport.firstProblem).toMatchObject({ kind: 'modified', seq: 12, eventId: eventAt(12).eventId });
    });

    it('modified, rehashed and relinked on its own: the next entry no longer links, and the checkpoints disagree', async () => {
      await asAttacker(harness, async (client) => {
        const { rows } = await client.query<{ envelope: string }>(`select envelope from ${harness.table('entries')} where seq = 12`);
        const text = (rows[0]?.envelope ?? '').replace('"minor":2001', '"minor":1');
        const previous = await client.query<{ global_hash: Buffer }>(`select global_hash from ${harness.table('entries')} where seq = 11`);
        const hash = eventHash(text);
        await client.query(`update ${harness.table('entries')} set envelope = $1, event_hash = $2, global_hash = $3 where seq = 12`, [text, hash, globalLink(previous.rows[0]?.global_hash as Buffer, 12, hash)]);
      });
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'modified', seq: 12, eventId: eventAt(12).eventId });
      // Each checkpoint twice: its global head and its case heads.
      expect(named(report)).toEqual([
        'modified@12:store',
        'chain-broken@12:case-chain',
        'chain-broken@13:global-chain',
        'checkpoint@20:checkpoint-heads',
        'checkpoint@20:checkpoint-heads',
        'checkpoint@29:checkpoint-heads',
        'checkpoint@29:checkpoint-heads',
      ]);
    });

    it('modified and every hash rewritten after it: only the store and the signed checkpoints tell', async () => {
      await asAttacker(harness, async (client) => {
        await client.query(`update ${harness.table('entries')} set envelope = replace(envelope, '"minor":2001', '"minor":1') where seq = 12`);
        await rechain(client, harness.table);
      });
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'modified', seq: 12, eventId: eventAt(12).eventId });
      expect(named(report)).toEqual(['modified@12:store', 'checkpoint@20:checkpoint-heads', 'checkpoint@20:checkpoint-heads', 'checkpoint@29:checkpoint-heads', 'checkpoint@29:checkpoint-heads']);
    });

    it('deleted: a gap in the sequence where the store has an event the ledger lacks, and the chain breaks after it', async () => {
      await asAttacker(harness, async (client) => {
        await client.query(`delete from ${harness.table('case_entries')} where seq = 12`);
        await client.query(`delete from ${harness.table('entries')} where seq = 12`);
      });
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'deleted', seq: 12, eventId: eventAt(12).eventId });
      expect(report.firstProblem?.detail).toBe(
        `event ${eventAt(12).eventId} (${eventAt(12).type} at ${eventAt(12).streamId} position ${eventAt(12).streamPosition}, global position ${eventAt(12).globalPosition}) is in the event store but not in the ledger`,
      );
      expect(named(report).slice(0, 3)).toEqual(['deleted@12:store', 'deleted@12:sequence', 'chain-broken@13:global-chain']);
    });

    it('deleted, the rest renumbered and every hash rewritten: the store names it, and the last checkpoint covers more than is left', async () => {
      await asAttacker(harness, async (client) => {
        await client.query(`delete from ${harness.table('case_entries')} where seq = 12`);
        await client.query(`delete from ${harness.table('entries')} where seq = 12`);
        await renumber(client, harness.table, 13, -1);
        await rechain(client, harness.table);
      });
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'deleted', seq: 12, eventId: eventAt(12).eventId });
      expect(named(report)).toContain('deleted@29:checkpoint-heads');
    });

    it('deleted at the end, behind a checkpoint that covered it', async () => {
      await asAttacker(harness, async (client) => {
        await client.query(`delete from ${harness.table('case_entries')} where seq >= 27`);
        await client.query(`delete from ${harness.table('entries')} where seq >= 27`);
      });
      const report = await verify();
      expect(first(report)).toMatchObject({ kind: 'deleted', seq: 27 });
      expect(report.firstProblem?.detail).toBe('checkpoint 2 covers entries up to seq 29, but the ledger ends at seq 26: entries 27..29 were removed');
    });

    it('inserted after the last entry, linked to it: an event the store does not have', async () => {
      const forged = foreignEvent(29);
      await asAttacker(harness, (client) => forgeEntry(client, 30, { ...forged, globalPosition: `${Number(eventAt(29).globalPosition.split(':')[0]) + 1}:1` as EventEnvelope['globalPosition'] }));
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'inserted', seq: 30, eventId: forged.eventId });
      expect(named(report)).toEqual(['inserted@30:store']);
      expect(report.firstProblem?.detail).toBe('its event is not in the event store: it was added to the ledger (or removed from the store)');
    });

    it('inserted in the middle, the rest renumbered and every hash rewritten: the store names it', async () => {
      const forged = foreignEvent(12);
      await asAttacker(harness, async (client) => {
        await renumber(client, harness.table, 12, 1);
        await forgeEntry(client, 12, forged);
        await rechain(client, harness.table);
      });
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'inserted', seq: 12, eventId: forged.eventId });
      expect(named(report)).toEqual(['inserted@12:store', 'checkpoint@20:checkpoint-heads', 'checkpoint@20:checkpoint-heads', 'checkpoint@29:checkpoint-heads', 'checkpoint@29:checkpoint-heads']);
    });

    it('reordered: two entries swapped are out of the store\'s order, and their links break', async () => {
      const [a, b] = paymentsOfOneCase();
      await asAttacker(harness, (client) => swap(client, a, b));
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'reordered', seq: a, eventId: eventAt(b).eventId });
      expect(named(report)).toEqual(expect.arrayContaining([`reordered@${a}:order`, `chain-broken@${a}:global-chain`, `reordered@${b}:order`]));
    });

    it('reordered and every hash rewritten: the order still differs from the store\'s', async () => {
      const [a, b] = paymentsOfOneCase();
      await asAttacker(harness, async (client) => {
        await swap(client, a, b);
        await rechain(client, harness.table);
      });
      const report = await verify();
      expect(first(report)).toEqual({ kind: 'reordered', seq: a, eventId: eventAt(b).eventId });
      expect(report.problems.filter((problem) => problem.kind === 'reordered').map((problem) => problem.seq)).toEqual([a, b]);
      expect(report.problems.filter((problem) => problem.kind === 'chain-broken')).toEqual([]);
    });

    /** Swaps everything but the seq of two entries (the attacker drops the event id's unique constraint to do it). */
    async function swap(client: PoolClient, a: number, b: number): Promise<void> {
      await client.query(`alter table ${harness.table('entries')} drop constraint if exists entries_event_id_key`);
      const columns = ['event_id', 'case_ids', 'stream_id', 'stream_position', 'global_position', 'event_type', 'schema_version', 'occurred_at', 'recorded_at', 'actor_id', 'actor_role', 'envelope', 'event_hash', 'global_hash'];
      await client.query(
        `update ${harness.table('entries')} e set ${columns.map((column) => `${column} = o.${column}`).join(', ')}
         from ${harness.table('entries')} o where e.seq in ($1, $2) and o.seq in ($1, $2) and o.seq <> e.seq`,
        [a, b],
      );
    }
  });

  it('names an event of the store that the ledger never recorded, where it belongs', async () => {
    const skipped = await openHarness();
    try {
      await writeHistory(skipped.store);
      const all = await skipped.store.readAll();
      const missing = all[9] as EventEnvelope;
      await skipped.feed({ skip: (event) => event.eventId === missing.eventId });
      const report = await verifyLedger({ ledger: skipped.ledger, store: view(skipped.store), publicKeys, pageSize: 4 });
      expect(first(report)).toEqual({ kind: 'deleted', seq: 10, eventId: missing.eventId });
      expect(named(report)).toEqual(['deleted@10:store']);
    } finally {
      await skipped.drop();
    }
  });

  it('names an event changed in the store: the ledger\'s copy differs from it', async () => {
    await harness.storeSchema.pool.query(`alter table "${harness.storeSchema.name}".events disable trigger user`).catch(() => undefined);
    await harness.storeSchema.pool.query(`update "${harness.storeSchema.name}".events set data = jsonb_set(data, '{amount,minor}', '5') where event_id = $1`, [eventAt(5).eventId]);
    const report = await verify();
    expect(first(report)).toEqual({ kind: 'modified', seq: 5, eventId: eventAt(5).eventId });
    expect(named(report)).toEqual(['modified@5:store']);
  });

  describe('checks the checkpoints', () => {
    it('names a checkpoint whose signed text was changed', async () => {
      await asAttacker(harness, (client) => client.query(`update ${harness.table('checkpoints')} set payload = replace(payload, '"cases":4', '"cases":5'), cases = 5 where number = 1`).then(() => undefined));
      const report = await verify();
      expect(report.problems.map((problem) => [problem.kind, problem.check, problem.seq])).toEqual([
        ['checkpoint', 'checkpoint-signature', 20],
        ['checkpoint', 'checkpoint-heads', 20],
      ]);
      expect(report.firstProblem?.detail).toBe('checkpoint 1: the signature does not match under key ea053771a5e80087');
    });

    it('names a checkpoint removed, and one signed with a key not accepted', async () => {
      await asAttacker(harness, (client) => client.query(`delete from ${harness.table('checkpoints')} where number = 1`).then(() => undefined));
      const report = await verify();
      expect(report.firstProblem?.detail).toBe('checkpoint 1 is missing: the checkpoints go from 0 to 2');
      const otherKeys = await verifyLedger({ ledger: harness.ledger, store: view(harness.store), publicKeys: [signerFromEnv({ NODE_ENV: 'production', ARREARS_AUDIT_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIGFycmVhcnMtZGV2LWxlZ2FsLXNpZ25pbmctTk9UU0VD' }).publicKey] });
      expect(otherKeys.problems.map((problem) => problem.check)).toContain('checkpoint-signature');
      expect(otherKeys.problems.find((problem) => problem.check === 'checkpoint-signature')?.detail).toContain('not among the accepted keys');
    });
  });
});
