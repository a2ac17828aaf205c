/** What the replay shows in place of a personal field: it never holds a key, so it never opens one. */
export const ENCRYPTED = '[encrypted]';

const CIPHERTEXT = /pii:v1:[A-Za-z0-9_-]*:[A-Za-z0-9_-]*:[A-Za-z0-9_-]*/g;

/**
 * A text for an auditor with any `pii:v1:` ciphertext in it replaced by `[encrypted]`. The summaries never quote a
 * personal field, but free text (a reason, a refusal's message) is typed or relayed by someone else: a ciphertext
 * pasted into it is still shown as what it is, not as an opaque blob that invites decryption.
 */
export function withoutCiphertexts(text: string): string {
  return text.replace(CIPHERTEXT, ENCRYPTED);
}

/** A text on one line: a summary is one row of a timeline, whatever line breaks free text brought into it. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
