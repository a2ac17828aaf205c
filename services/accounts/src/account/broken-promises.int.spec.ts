import { randomUUID } from 'node:crypto';
import { EventHeader, eventToMessage, type NewEvent } from '@arrears/contracts';
import { eventually } from '@arrears/testing';
import { headers as natsHeaders } from 'nats';
import { AccountsWorld } from '../testing/accounts-world';
import { plainPlacement } from '../testing/plain-debtor';

/** promises-to-pay's PromiseBroken, consumed from JetStream, counts once in the account's risk score. */
describe('broken promises from promises-to-pay', () => {
  let world: AccountsWorld;

  beforeAll(async () => {
    world = await AccountsWorld.start('accounts_promises');
  });

  afterAll(async () => {
    await world?.close();
  });

  function promiseBroken(accountId: string, promiseId: string): NewEvent {
    const commandId = randomUUID();
    return {
      eventId: randomUUID(),
      type: 'PromiseBroken',
      schemaVersion: 1,
      occurredAt: '2026-11-29T00:05:00.000Z',
      data: { promiseId, accountId, promised: { minor: 20_000, currency: 'USD' }, paid: { minor: 0, currency: 'USD' }, dueDate: '2026-11-25', brokenOn: '2026-11-28' },
      metadata: { commandId, correlationId: commandId, causationId: commandId, caseId: accountId, actorId: 'system:promises-to-pay', actorRole: 'system' },
    };
  }

  it('notes each broken promise once — also when JetStream delivers the event again — and the third moves the tier to high', async () => {
    const accountId = randomUUID();
    await world.send('PlaceAccount', plainPlacement(accountId, randomUUID()));
    const promiseIds = [randomUUID(), randomUUID(), randomUUID()];
    for (const promiseId of promiseIds) {
      await world.harness.store.appendToStream(`promise-${promiseId}`, [promiseBroken(accountId, promiseId)], { expectedVersion: 'no_stream' });
    }

    await eventually(async () => {
      const state = await world.service.commands.load(accountId);
      expect(state).toMatchObject({ brokenPromises: expect.arrayContaining(promiseIds), tier: 'high' });
    });

    // The first event once more, as JetStream would redeliver it (a new message: the stream de-duplicates by id).
    const [stored] = await world.harness.store.readStream(`promise-${promiseIds[0]}`);
    const message = eventToMessage(stored!, world.harness.topology);
    const headers = natsHeaders();
    for (const [name, value] of Object.entries({ ...message.headers, [EventHeader.MSG_ID]: `${stored!.eventId}-redelivered` })) headers.set(name, value);
    await world.harness.js.publish(message.subject, message.body, { headers });

    const detail = await eventually(async () => {
      const summary = (await world.service.queries.detail(accountId)).summary;
      expect(summary.riskTier).toBe('high');
      return summary;
    });
    // Give the redelivered event every chance to be handled, then check it changed nothing.
    await eventually(async () => {
      const info = await world.harness.jsm.consumers.info(world.harness.topology.eventsStream, 'accounts__broken-promises');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
      expect(info.delivered.stream_seq).toBeGreaterThanOrEqual(4);
    });
    const history = await world.harness.store.readStream(`account-${accountId}`);
    // Each once; in whatever order the (unordered) consumer handled them.
    const noted = history.filter((event) => event.type === 'BrokenPromiseNoted').map((event) => String(event.data['promiseId']));
    expect(noted.sort()).toEqual([...promiseIds].sort());
    expect(detail.brokenPromises).toBe(3);
  });
});
