import { randomBytes, randomUUID } from 'node:crypto';
import { ERASED, ErrorCode, isArrearsError } from '@arrears/contracts';
import { createTestSchema, databaseUrl, rejection, type TestSchema } from '@arrears/testing';
import { Pool } from 'pg';
import { SubjectErasedError } from './key-provider';
import { WRAPPED_KEY_BYTES } from './master-key';
import { PersonalDataVault } from './personal-data-vault';
import { PostgresKeyProvider } from './postgres-key-provider';
import { describeKeyProvider } from './testing/key-provider-suite';

describeKeyProvider({
  name: 'PostgreSQL',
  create: async () => {
    const schema = await createTestSchema('subject_keys');
    const keys = new PostgresKeyProvider({ pool: schema.pool, schema: schema.name, masterKey: randomBytes(32) });
    await keys.migrate();
    return { keys, teardown: () => schema.drop() };
  },
});

describe('PostgresKeyProvider', () => {
  const masterKey = randomBytes(32);
  let schema: TestSchema;
  /** A second pool: another instance of the service, on connections of its own. */
  let otherPool: Pool;
  let keys: PostgresKeyProvider;
  let otherKeys: PostgresKeyProvider;

  beforeEach(async () => {
    schema = await createTestSchema('subject_keys');
    otherPool = new Pool({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000, max: 10 });
    keys = new PostgresKeyProvider({ pool: schema.pool, schema: schema.name, masterKey });
    otherKeys = new PostgresKeyProvider({ pool: otherPool, schema: schema.name, masterKey });
    // Instances starting at once all migrate; none fails, and the table is made once.
    await Promise.all([keys.migrate(), otherKeys.migrate(), keys.migrate()]);
  });

  afterEach(async () => {
    await otherPool.end();
    await schema.drop();
  });

  const rowOf = async (subject: string) =>
    (
      await schema.pool.query<{ wrapped_key: Buffer | null; erased_at: Date | null }>(
        `select wrapped_key, erased_at from "${schema.name}".subject_keys where subject_id = $1`,
        [subject],
      )
    ).rows;

  it('migrates again without harm', async () => {
    await keys.migrate();
    const { rows } = await schema.pool.query(`select id, name from "${schema.name}".schema_migrations`);
    expect(rows).toEqual([{ id: 1, name: 'subject keys' }]);
  });

  it('gives concurrent first calls for one subject, from several connections, one and the same key', async () => {
    const subject = randomUUID();
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? keys : otherKeys).keyFor(subject)));

    const [first] = made;
    expect(made.filter((key) => !key.equals(first!))).toEqual([]);
    expect(await rowOf(subject)).toHaveLength(1);
    expect((await keys.existingKey(subject))?.equals(first!)).toBe(true);
  });

  it('stores the key wrapped: the row holds neither the key nor anything that opens without the master key', async () => {
    const subject = randomUUID();
    const key = await keys.keyFor(subject);
    const [row] = await rowOf(subject);

    expect(row?.wrapped_key).toHaveLength(WRAPPED_KEY_BYTES);
    expect(row?.wrapped_key?.includes(key.export())).toBe(false);
    expect(row?.erased_at).toBeNull();
  });

  it('erasure leaves a tombstone with no key bytes, and a new key is refused', async () => {
    const subject = randomUUID();
    await keys.keyFor(subject);

    expect(await keys.erase(subject)).toBe(true);

    const [row] = await rowOf(subject);
    expect(row?.wrapped_key).toBeNull();
    expect(row?.erased_at).toBeInstanceOf(Date);
    expect(await rejection(keys.keyFor(subject))).toEqual(new SubjectErasedError(subject));
    expect(await rowOf(subject)).toEqual([row]);
  });

  it('the table refuses a row that is half key, half tombstone', async () => {
    const subject = randomUUID();
    await keys.keyFor(subject);
    const error = await rejection(schema.pool.query(`update "${schema.name}".subject_keys set wrapped_key = null where subject_id = $1`, [subject]));
    expect(error).toMatchObject({ code: '23514', constraint: 'subject_keys_key_or_tombstone' });
  });

  it('another instance sees an erasure at once', async () => {
    const subject = randomUUID();
    const key = await keys.keyFor(subject);
    expect((await otherKeys.existingKey(subject))?.equals(key)).toBe(true);

    await keys.erase(subject);

    expect(await otherKeys.existingKey(subject)).toBeUndefined();
    expect(await otherKeys.isErased(subject)).toBe(true);
    expect(await rejection(otherKeys.keyFor(subject))).toBeInstanceOf(SubjectErasedError);
  });

  it('a wrong master key is a clear error, not a different key', async () => {
    const subject = randomUUID();
    await keys.keyFor(subject);
    const wrong = new PostgresKeyProvider({ pool: schema.pool, schema: schema.name, masterKey: randomBytes(32) });

    for (const call of [() => wrong.existingKey(subject), () => wrong.keyFor(subject)]) {
      const error = await rejection(call());
      expect(isArrearsError(error, ErrorCode.INTERNAL)).toBe(true);
      expect((error as Error).message).toBe(
        `Cannot unwrap the data key of subject ${subject}: the master key (ARREARS_PII_MASTER_KEY) is not the one it was wrapped with, or the stored key was altered`,
      );
    }
  });

  it('a wrapped key copied onto another subject does not unwrap there', async () => {
    const [subject, victim] = [randomUUID(), randomUUID()];
    await keys.keyFor(subject);
    await keys.keyFor(victim);
    await schema.pool.query(
      `update "${schema.name}".subject_keys set wrapped_key = (select wrapped_key from "${schema.name}".subject_keys where subject_id = $1) where subject_id = $2`,
      [subject, victim],
    );
    expect(await rejection(keys.existingKey(victim))).toMatchObject({ code: ErrorCode.INTERNAL });
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new PostgresKeyProvider({ pool: schema.pool, masterKey: randomBytes(31) })).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'masterKey' }),
    );
  });

  it('behind a vault: a value written by one instance reads as ERASED on another once the subject is erased', async () => {
    const writer = new PersonalDataVault(keys);
    const reader = new PersonalDataVault(otherKeys, { keyCacheTtlMs: 0 });
    const subject = randomUUID();
    const phone = await writer.encrypt(subject, 'phone', '+1 (555) 123-4567');
    expect(await reader.decrypt(subject, 'phone', phone)).toBe('+1 (555) 123-4567');

    expect(await writer.erase(subject)).toBe(true);

    expect(await reader.decrypt(subject, 'phone', phone)).toBe(ERASED);
    expect(await writer.decrypt(subject, 'phone', phone)).toBe(ERASED);
    expect(await rejection(reader.encrypt(subject, 'phone', '+1 (555) 000-0000'))).toBeInstanceOf(SubjectErasedError);
  });
});
