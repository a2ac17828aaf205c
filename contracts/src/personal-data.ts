import { z } from 'zod';

/**
 * A personal field as events and read models carry it: encrypted under the data subject's own key (the debtor's),
 * never the plaintext. `pii:v1:<iv>:<ciphertext>:<tag>`, each part base64url — AES-256-GCM with a 96-bit IV and a
 * 128-bit tag, the subject's id and the field's name bound in as additional data so a value cannot be moved to
 * another debtor or field. Erasing the subject deletes the key (crypto-shredding): the value stays in the history
 * and can never be read again. `@arrears/security` encrypts and decrypts; everyone else passes it on unopened.
 */
export const EncryptedSchema = z
  .string()
  .regex(/^pii:v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]*:[A-Za-z0-9_-]{22}$/, 'must be an encrypted personal field (pii:v1:…)')
  .brand<'Encrypted'>();
export type Encrypted = z.infer<typeof EncryptedSchema>;

/** What a reader shows in place of a personal field whose subject was erased. */
export const ERASED = '[erased]';

/** The kinds of personal field, named in the additional data of each encryption. `freeText`: notes, transcripts, complaint descriptions — anything a person typed about the debtor. */
export const PERSONAL_FIELDS = ['name', 'phone', 'email', 'postalAddress', 'nationalId', 'attorneyContact', 'freeText'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];
