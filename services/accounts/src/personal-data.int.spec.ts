import { randomUUID } from 'node:crypto';
import { ERASED, ErrorCode, type accounts } from '@arrears/contracts';
import { readStream } from '@arrears/messaging/src/relay/testing/jetstream-log';
import { eventually, rejection } from '@arrears/testing';
import { AccountsWorld } from './testing/accounts-world';
import { PLAIN_DEBTOR, PLAIN_DEBTOR_TEXTS, plainPlacement } from './testing/plain-debtor';

const ATTORNEY = 'Saul Brightwater';
/** None of it may be found anywhere the platform keeps or sends data. */
const PLAINTEXT = [...PLAIN_DEBTOR_TEXTS, ATTORNEY];

/**
 * The accounts service running as in production — commands over NATS, events through the relay into JetStream,
 * the read models fed by its JetStream consumer, logs as JSON lines — with a debtor placed, worked, closed and
 * erased. Then every place data ends up is searched for the debtor's plaintext.
 */
describe('the debtor\'s personal data across the platform', () => {
  let world: AccountsWorld;

  beforeAll(async () => {
    world = await AccountsWorld.start('accounts_pii');
  });

  afterAll(async () => {
    await world?.close();
  });

  const send = (type: accounts.AccountCommand['type'], data: object) => world.send(type, data);

  it('is encrypted in the store and on NATS, masked in the read models, absent from logs, and unreadable after erasure — while the account still replays', async () => {
    const accountId = randomUUID();
    const debtorId = randomUUID();
    const placement = plainPlacement(accountId, debtorId, 'CC-9001');
    await send('PlaceAccount', placement);
    await send('FlagAccount', { accountId, flag: 'attorney-represented', reason: 'letter received', attorneyContact: `${ATTORNEY}, +1 312 555 0123` });
    await send('PostPayment', { accountId, paymentReference: 'BANK-1', amount: { minor: 10_000, currency: 'USD' }, receivedOn: '2026-11-28', channel: 'card' });
    // A refused command whose input holds personal data: the refusal is logged, the data is not.
    const refused = await rejection(send('UpdateContactDetails', { accountId, phones: [{ number: PLAIN_DEBTOR.phone, kind: 'pager' }], emails: [PLAIN_DEBTOR.email] }));
    expect(refused).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.phones[0].kind' });

    // Masked while the debtor is known.
    const before = await eventually(async () => {
      const detail = await world.service.queries.detail(accountId);
      expect(detail.summary.lastPaymentAmount).toBe(10_000);
      return detail;
    });
    expect(before.summary).toMatchObject({ maskedName: 'W. Q.', maskedPhone: '•••• 0199', erased: false });

    // The same debtor owes on a second account: their key is shared, so erasure waits until it is closed too.
    const secondAccountId = randomUUID();
    await send('PlaceAccount', plainPlacement(secondAccountId, debtorId, 'CC-9002'));
    await eventually(async () => expect((await world.service.queries.detail(secondAccountId)).summary.status).toBe('open'));
    await send('CloseAccount', { accountId, reason: 'settled' });
    const tooSoon = await rejection(send('EraseDebtorData', { accountId, reason: 'data subject request' }));
    expect(tooSoon).toMatchObject({ code: ErrorCode.STATE_CONFLICT, field: 'accountId', details: { openAccounts: [secondAccountId] } });
    await send('CloseAccount', { accountId: secondAccountId, reason: 'returned-to-creditor' });
    await eventually(async () => expect((await world.service.queries.detail(secondAccountId)).summary.status).toBe('closed'));
    await send('EraseDebtorData', { accountId, reason: 'data subject request' });
    const after = await eventually(async () => {
      const detail = await world.service.queries.detail(accountId);
      expect(detail.summary.erased).toBe(true);
      return detail;
    });
    expect(after.summary).toMatchObject({ status: 'closed', maskedName: ERASED, maskedPhone: ERASED, total: 75_000 });
    // The key was the debtor's: the second account's personal fields are erased with it.
    await eventually(async () => expect((await world.service.queries.detail(secondAccountId)).summary).toMatchObject({ erased: true, maskedName: ERASED }));

    // The history replays to the right balance; its personal fields read as erased.
    const state = await world.service.commands.load(accountId);
    expect(state).toMatchObject({ status: 'closed', erased: true, balance: { principal: 75_000, fees: 0, interest: 0 } });
    const [placed] = await world.harness.store.readStream(`account-${accountId}`);
    const sealed = (placed!.data as { debtor: accounts.SealedDebtor }).debtor;
    expect(await world.service.vault.decrypt(debtorId, 'name', sealed.name)).toBe(ERASED);

    const places = {
      'stored events': await storedEvents(),
      'NATS messages': await natsMessages(),
      'read-model rows': await readModelRows(),
      'log lines': world.logLines.join(''),
    };
    expect(places['NATS messages']).toContain(accountId); // the search looks where the data went
    expect(places['log lines'].length).toBeGreaterThan(0);
    const found = Object.entries(places).flatMap(([place, text]) => PLAINTEXT.filter((value) => text.includes(value)).map((value) => `${place}: ${value}`));
    expect(found).toEqual([]);
  });

  async function storedEvents(): Promise<string> {
    const { rows } = await world.harness.storeSchema.pool.query<{ text: string }>(`select row_to_json(e)::text as text from "${world.harness.storeSchema.name}".events e`);
    return rows.map((row) => row.text).join('\n');
  }

  /** Every message of the test's events stream: subject, headers and body. */
  async function natsMessages(): Promise<string> {
    const messages = await readStream(world.harness.js, world.harness.jsm, world.harness.topology.eventsStream);
    expect(messages.length).toBeGreaterThanOrEqual(8);
    return messages.map((msg) => [msg.subject, msg.body, ...[...(msg.headers?.keys() ?? [])].map((key) => `${key}: ${msg.headers?.get(key) ?? ''}`)].join('\n')).join('\n');
  }

  async function readModelRows(): Promise<string> {
    const { rows: tables } = await world.readSchema.pool.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1`, [world.readSchema.name]);
    const texts: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await world.readSchema.pool.query<{ text: string }>(`select row_to_json(t)::text as text from "${world.readSchema.name}"."${table_name}" t`);
      texts.push(...rows.map((row) => row.text));
    }
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['account_summaries', 'account_activity']));
    return texts.join('\n');
  }
});
