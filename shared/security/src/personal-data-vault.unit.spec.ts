import { randomUUID } from 'node:crypto';
import { ERASED, EncryptedSchema, ErrorCode, isArrearsError, PERSONAL_FIELDS, type Encrypted, type PersonalField } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { SubjectErasedError, type KeyProvider } from './key-provider';
import { InMemoryKeyProvider } from './memory-key-provider';
import { PersonalDataVault, UnreadablePersonalDataError } from './personal-data-vault';

const PHONE = '+1 (555) 123-4567';

function setup(options: ConstructorParameters<typeof PersonalDataVault>[1] = {}) {
  const keys = new InMemoryKeyProvider();
  return { keys, vault: new PersonalDataVault(keys, options) };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The value with one character of its iv, ciphertext or tag changed, for each character in turn. The change is
 * the smallest there is (the lowest of its six bits): in the last character of a part that is a bit base64 does
 * not use, which a lenient decoder would ignore.
 */
function alterations(value: Encrypted): Encrypted[] {
  const variants: Encrypted[] = [];
  for (let at = 'pii:v1:'.length; at < value.length; at += 1) {
    const index = BASE64URL.indexOf(value[at] ?? ':');
    if (index < 0) continue;
    variants.push(`${value.slice(0, at)}${BASE64URL[index ^ 1]}${value.slice(at + 1)}` as Encrypted);
  }
  return variants;
}

describe('PersonalDataVault', () => {
  it('decrypts what it encrypted, for every personal field', async () => {
    const { vault } = setup();
    const subject = randomUUID();
    for (const field of PERSONAL_FIELDS) {
      const text = `${field}: Zoë Ångström, 12 Rue de l'Église ☎ ${PHONE}`;
      expect(await vault.decrypt(subject, field, await vault.encrypt(subject, field, text))).toBe(text);
    }
    expect(await vault.decrypt(subject, 'name', await vault.encrypt(subject, 'name', ''))).toBe('');
  });

  it('writes the pii:v1 format of the contract, with no trace of the plaintext', async () => {
    const { vault } = setup();
    const value = await vault.encrypt(randomUUID(), 'phone', PHONE);
    expect(EncryptedSchema.safeParse(value).success).toBe(true);
    expect(value).toMatch(/^pii:v1:[\w-]{16}:[\w-]+:[\w-]{22}$/);
    expect(value).not.toContain('4567');
  });

  it('encrypts the same text differently each time (a fresh IV)', async () => {
    const { vault } = setup();
    const subject = randomUUID();
    const values = await Promise.all(Array.from({ length: 20 }, () => vault.encrypt(subject, 'phone', PHONE)));
    expect(new Set(values).size).toBe(20);
    expect(new Set(values.map((value) => value.split(':')[2])).size).toBe(20);
  });

  it('refuses a value with any one character of it changed', async () => {
    const { vault } = setup();
    const subject = randomUUID();
    const value = await vault.encrypt(subject, 'phone', PHONE);
    const altered = alterations(value);
    expect(altered.length).toBeGreaterThan(16 + 22);
    for (const candidate of altered) {
      const error = await rejection(vault.decrypt(subject, 'phone', candidate));
      expect(error).toBeInstanceOf(UnreadablePersonalDataError);
      expect(error).toMatchObject({ code: ErrorCode.INTERNAL, field: 'phone', details: { subjectId: subject, reason: 'altered-or-misplaced' } });
    }
  });

  it('refuses a value moved to another subject or another field', async () => {
    const { vault } = setup();
    const [subject, other] = [randomUUID(), randomUUID()];
    await vault.encrypt(other, 'phone', '+44 20 7946 0000');
    const value = await vault.encrypt(subject, 'phone', PHONE);

    expect(await rejection(vault.decrypt(other, 'phone', value))).toMatchObject({ details: { reason: 'altered-or-misplaced' } });
    expect(await rejection(vault.decrypt(subject, 'nationalId', value))).toMatchObject({ details: { reason: 'altered-or-misplaced' } });
    // A subject with no key at all is not "erased": the value cannot be theirs.
    const error = await rejection(vault.decrypt(randomUUID(), 'phone', value));
    expect(error).toBeInstanceOf(UnreadablePersonalDataError);
    expect(error).toMatchObject({ details: { reason: 'no-key' } });
  });

  it('refuses what is not a pii:v1 value, and names the field', async () => {
    const { vault } = setup();
    const subject = randomUUID();
    const value = await vault.encrypt(subject, 'email', 'jane.doe@example.com');
    for (const bad of [value.replace('pii:v1', 'pii:v2'), 'jane.doe@example.com', `${value}:x`, ERASED]) {
      const error = await rejection(vault.decrypt(subject, 'email', bad as Encrypted));
      expect(isArrearsError(error, ErrorCode.VALIDATION_FAILED) && error.field).toBe('email');
    }
  });

  it('refuses a malformed subject id, an unknown field or a plaintext that is not text before making a key', async () => {
    const { vault, keys } = setup();
    const notAnId = await rejection(vault.encrypt('debtor-1', 'name', 'Jane'));
    expect(isArrearsError(notAnId, ErrorCode.VALIDATION_FAILED) && notAnId.field).toBe('subjectId');

    const subject = randomUUID();
    const unknown = await rejection(vault.encrypt(subject, 'dateOfBirth' as PersonalField, '1970-01-01'));
    expect(isArrearsError(unknown, ErrorCode.VALIDATION_FAILED) && unknown.field).toBe('field');
    const notText = await rejection(vault.encryptAll(subject, { name: 'Jane Doe', phone: 5551234567 as unknown as string }));
    expect(isArrearsError(notText, ErrorCode.VALIDATION_FAILED) && notText.field).toBe('phone');
    expect(await keys.existingKey(subject)).toBeUndefined();
  });

  it('binds values to the canonical (lower-case) subject id', async () => {
    const { vault } = setup();
    const subject = randomUUID();
    const value = await vault.encrypt(subject.toUpperCase(), 'name', 'Jane Doe');
    expect(await vault.decrypt(subject, 'name', value)).toBe('Jane Doe');
  });

  describe('erasure', () => {
    it('shows every value of an erased subject as ERASED, and leaves other subjects readable', async () => {
      const { vault } = setup();
      const [subject, other] = [randomUUID(), randomUUID()];
      const name = await vault.encrypt(subject, 'name', 'Jane Doe');
      const phone = await vault.encrypt(subject, 'phone', PHONE);
      const kept = await vault.encrypt(other, 'name', 'John Roe');
      expect(await vault.decrypt(subject, 'name', name)).toBe('Jane Doe');

      expect(await vault.erase(subject)).toBe(true);

      expect(await vault.decrypt(subject, 'name', name)).toBe(ERASED);
      expect(await vault.decryptAll(subject, { name, phone })).toEqual({ name: ERASED, phone: ERASED });
      expect(await vault.decrypt(other, 'name', kept)).toBe('John Roe');
      expect(await vault.erase(subject)).toBe(false);
    });

    it('refuses to encrypt anything for an erased subject', async () => {
      const { vault } = setup();
      const subject = randomUUID();
      await vault.encrypt(subject, 'name', 'Jane Doe');
      await vault.erase(subject);
      expect(await rejection(vault.encrypt(subject, 'phone', PHONE))).toEqual(new SubjectErasedError(subject));
      expect(await rejection(vault.encryptAll(subject, { phone: PHONE }))).toBeInstanceOf(SubjectErasedError);
    });

    it('an erasure through the vault takes effect at once, whatever the cache TTL', async () => {
      const { vault } = setup({ keyCacheTtlMs: 60_000, now: () => 0 });
      const subject = randomUUID();
      const value = await vault.encrypt(subject, 'name', 'Jane Doe');
      expect(await vault.decrypt(subject, 'name', value)).toBe('Jane Doe'); // the key is cached now
      await vault.erase(subject);
      expect(await vault.decrypt(subject, 'name', value)).toBe(ERASED);
    });

    it('a key lookup in flight during an erasure does not put the key back in the cache', async () => {
      const keys = new InMemoryKeyProvider();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slowReads: KeyProvider = {
        keyFor: (id) => keys.keyFor(id),
        existingKey: async (id) => {
          const key = await keys.existingKey(id);
          await gate;
          return key;
        },
        erase: (id) => keys.erase(id),
        isErased: (id) => keys.isErased(id),
      };
      const vault = new PersonalDataVault(slowReads, { keyCacheTtlMs: 60_000, now: () => 0 });
      const subject = randomUUID();
      const sealed = await new PersonalDataVault(keys, { keyCacheTtlMs: 0 }).encrypt(subject, 'name', 'Jane Doe');

      const reading = vault.decrypt(subject, 'name', sealed); // has the key, and waits
      await vault.erase(subject);
      release();

      expect(await reading).toBe('Jane Doe'); // it began before the erasure
      expect(await vault.decrypt(subject, 'name', sealed)).toBe(ERASED);
    });
  });

  describe('key cache', () => {
    it('may show a value for at most keyCacheTtlMs after an erasure made elsewhere', async () => {
      let now = 1_000;
      const { keys, vault } = setup({ keyCacheTtlMs: 5_000, now: () => now });
      const subject = randomUUID();
      const value = await vault.encrypt(subject, 'name', 'Jane Doe');
      await keys.erase(subject); // another instance erased the subject

      now += 4_999;
      expect(await vault.decrypt(subject, 'name', value)).toBe('Jane Doe');
      now += 1;
      expect(await vault.decrypt(subject, 'name', value)).toBe(ERASED);
    });

    it('with a TTL of 0 asks the key provider every time', async () => {
      const { keys, vault } = setup({ keyCacheTtlMs: 0 });
      const subject = randomUUID();
      const value = await vault.encrypt(subject, 'name', 'Jane Doe');
      await keys.erase(subject);
      expect(await vault.decrypt(subject, 'name', value)).toBe(ERASED);
    });

    it('defaults to a TTL of at most 5 seconds', async () => {
      let now = 0;
      const { keys, vault } = setup({ now: () => now });
      const subject = randomUUID();
      const value = await vault.encrypt(subject, 'name', 'Jane Doe');
      await keys.erase(subject);
      now += 5_000;
      expect(await vault.decrypt(subject, 'name', value)).toBe(ERASED);
    });

    it('holds at most keyCacheSize keys', async () => {
      const { keys, vault } = setup({ keyCacheTtlMs: 60_000, keyCacheSize: 2, now: () => 0 });
      const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
      const value = await vault.encrypt(first, 'name', 'Jane Doe');
      await vault.encrypt(second, 'name', 'John Roe');
      await vault.encrypt(third, 'name', 'Max Mustermann'); // pushes the first out
      await keys.erase(first);
      expect(await vault.decrypt(first, 'name', value)).toBe(ERASED);
    });

    it('refuses a TTL beyond the bound, or a cache of no size', () => {
      for (const options of [{ keyCacheTtlMs: 60_001 }, { keyCacheTtlMs: -1 }, { keyCacheTtlMs: 0.5 }, { keyCacheSize: 0 }]) {
        expect(() => setup(options)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: Object.keys(options)[0] }));
      }
    });
  });

  it('encryptAll and decryptAll handle several fields of one subject', async () => {
    const { vault } = setup();
    const subject = randomUUID();
    const sealed = await vault.encryptAll(subject, { name: 'Jane Doe', phone: PHONE, email: 'jane.doe@example.com' });
    expect(Object.values(sealed).every((value) => EncryptedSchema.safeParse(value).success)).toBe(true);
    expect(await vault.decryptAll(subject, sealed)).toEqual({ name: 'Jane Doe', phone: PHONE, email: 'jane.doe@example.com' });
    expect(await vault.decryptAll(subject, {})).toEqual({});
    // Fields are bound one by one: swapping two values of the same subject is refused.
    expect(await rejection(vault.decryptAll(subject, { name: sealed.phone, phone: sealed.name }))).toBeInstanceOf(UnreadablePersonalDataError);
  });
});
