import { randomBytes, randomUUID } from 'node:crypto';
import { accounts, ERASED, ErrorCode, type CommandEnvelope, type Encrypted, type Role } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { PersonalDataVault, PostgresKeyProvider } from '@arrears/security';
import { createTestSchema, rejection, type TestSchema } from '@arrears/testing';
import { ACCOUNT_EVENT_CATALOG, accountStream, AccountCommands } from './account-commands';
import { evolve, initialState, totalOf, type AccountEvent } from './domain/account';
import { DEFAULT_ACCOUNTS_POLICY } from './domain/policy';
import { PLAIN_DEBTOR, PLAIN_DEBTOR_TEXTS, plainPlacement } from '../testing/plain-debtor';

const DEBTOR = PLAIN_DEBTOR;

/** The command side on the real PostgreSQL: the event store and the key store in schemas of this test. */
describe('accounts command side', () => {
  let storeSchema: TestSchema;
  let keySchema: TestSchema;
  let store: PostgresEventStore;
  let vault: PersonalDataVault;
  let commands: AccountCommands;

  beforeAll(async () => {
    storeSchema = await createTestSchema('accounts_store');
    keySchema = await createTestSchema('accounts_keys');
    store = new PostgresEventStore({ pool: storeSchema.pool, schema: storeSchema.name });
    await store.migrate();
    const keys = new PostgresKeyProvider({ pool: keySchema.pool, schema: keySchema.name, masterKey: randomBytes(32) });
    await keys.migrate();
    vault = new PersonalDataVault(keys, { keyCacheTtlMs: 0 });
    commands = new AccountCommands(store, vault, DEFAULT_ACCOUNTS_POLICY);
  });

  afterAll(async () => {
    await storeSchema?.drop();
    await keySchema?.drop();
  });

  function send<T extends accounts.AccountCommand['type']>(type: T, data: Extract<accounts.AccountCommand, { type: T }>['data'], options: { commandId?: string; role?: Role; caseId?: string } = {}) {
    const command = {
      commandId: options.commandId ?? randomUUID(),
      type,
      schemaVersion: 1,
      data,
      metadata: { correlationId: randomUUID(), actorId: 'collector-7', actorRole: options.role ?? 'supervisor', now: '2026-11-29T10:00:00.000Z', ...(options.caseId ? { caseId: options.caseId } : {}) },
    } as CommandEnvelope & accounts.AccountCommand;
    return commands.handle(command);
  }

  const placement = (accountId: string, debtorId = randomUUID()) => plainPlacement(accountId, debtorId);

  async function storedText(accountId: string): Promise<string> {
    const { rows } = await storeSchema.pool.query(`select data::text || metadata::text as text from "${storeSchema.name}".events where stream_id = $1`, [accountStream(accountId)]);
    return rows.map((row: { text: string }) => row.text).join('\n');
  }

  it('stores the placement with every personal field encrypted, readable through the vault, with the case id on every event', async () => {
    const accountId = randomUUID();
    const outcome = await send('PlaceAccount', placement(accountId));
    expect(outcome.events.map((event) => event.type)).toEqual(['AccountPlaced', 'AgingBucketChanged', 'RiskTierChanged']);

    const text = await storedText(accountId);
    for (const value of [...PLAIN_DEBTOR_TEXTS, 'Orchard']) expect(text).not.toContain(value);

    const [placed] = await store.readStream(accountStream(accountId));
    expect(placed?.metadata.caseId).toBe(accountId);
    // Stored exactly as the published schema says: encrypted fields in the pii:v1 form.
    const sealedDebtor = (ACCOUNT_EVENT_CATALOG.decode(placed!).data as { debtor: accounts.SealedDebtor }).debtor;
    expect(await vault.decrypt(sealedDebtor.debtorId, 'name', sealedDebtor.name)).toBe(DEBTOR.name);
    expect(await vault.decrypt(sealedDebtor.debtorId, 'phone', sealedDebtor.phones[0]!.number)).toBe(DEBTOR.phone);
    expect(await vault.decrypt(sealedDebtor.debtorId, 'nationalId', sealedDebtor.nationalId as Encrypted)).toBe(DEBTOR.nationalId);
  });

  it('a retried command (same command id) writes nothing more; a payment reference posted twice applies once', async () => {
    const accountId = randomUUID();
    await send('PlaceAccount', placement(accountId));
    const commandId = randomUUID();
    const payment = { accountId, paymentReference: 'BANK-778', amount: { minor: 3_000, currency: 'USD' }, receivedOn: '2026-11-28', channel: 'bank-transfer' };
    const first = await send('PostPayment', payment, { commandId });
    const retried = await send('PostPayment', payment, { commandId });
    expect(retried).toEqual({ ...first, repeated: true });
    const again = await send('PostPayment', payment);
    expect(again.events).toEqual([]);
    const history = await store.readStream(accountStream(accountId));
    expect(history.filter((event) => event.type === 'PaymentPosted')).toHaveLength(1);
  });

  it('refuses a command whose case id is not the account id, and writes nothing', async () => {
    const accountId = randomUUID();
    const error = await rejection(send('PlaceAccount', placement(accountId), { caseId: randomUUID() }));
    expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'metadata.caseId' });
    expect(await store.readStream(accountStream(accountId))).toEqual([]);
  });

  it('erasure deletes the key: the history replays to the right balance with personal fields erased, and no new personal data is taken', async () => {
    const accountId = randomUUID();
    const debtorId = randomUUID();
    await send('PlaceAccount', placement(accountId, debtorId));
    await send('FlagAccount', { accountId, flag: 'attorney-represented', reason: 'letter received', attorneyContact: 'Saul Brightwater, +1 312 555 0123' });
    await send('PostPayment', { accountId, paymentReference: 'P-1', amount: { minor: 10_000, currency: 'USD' }, receivedOn: '2026-11-28', channel: 'card' });
    await send('CloseAccount', { accountId, reason: 'settled' });
    await send('EraseDebtorData', { accountId, reason: 'data subject request' });

    const history = await store.readStream(accountStream(accountId));
    const state = history.map((event) => ACCOUNT_EVENT_CATALOG.decode(event) as AccountEvent).reduce(evolve, initialState());
    expect(state).toMatchObject({ status: 'closed', erased: true, balance: { fees: 0, interest: 0, principal: 75_000 } });
    expect(state.status !== 'unplaced' && totalOf(state.balance)).toBe(75_000);

    const sealed = (history[0]!.data as { debtor: accounts.SealedDebtor }).debtor;
    expect(await vault.decrypt(debtorId, 'name', sealed.name)).toBe(ERASED);
    expect(await vault.decrypt(debtorId, 'phone', sealed.phones[0]!.number)).toBe(ERASED);
    const text = await storedText(accountId);
    for (const value of [DEBTOR.name, DEBTOR.nationalId, 'Brightwater']) expect(text).not.toContain(value);

    const refused = await rejection(send('UpdateContactDetails', { accountId, phones: [{ number: '+1 312 555 0100', kind: 'home' }], emails: [] }));
    expect(refused).toMatchObject({ code: ErrorCode.STATE_CONFLICT, field: 'accountId' });
  });
});
