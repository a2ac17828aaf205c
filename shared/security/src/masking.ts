import { ERASED } from '@arrears/contracts';

// How personal data is shown to a role that does not need all of it (docs/personal-data.md, "Masking").
// Pure functions over decrypted text; each passes ERASED through, so an erased debtor reads the same everywhere.

const HIDDEN = '••••';
const SHOWN_TAIL = 4;

/**
 * `+1 (555) 123-4567` → `•••• 4567`: the last four digits. With four digits or fewer everything is hidden: showing
 * the "last four" of a four-digit number would show all of it.
 */
export function maskPhone(number: string): string {
  if (number === ERASED) return ERASED;
  return lastFour(number.replace(/\D/g, ''));
}

/** `123-45-6789` → `•••• 6789`: the last four letters or digits, as for a phone number. */
export function maskNationalId(nationalId: string): string {
  if (nationalId === ERASED) return ERASED;
  return lastFour(nationalId.replace(/[^\p{L}\p{N}]/gu, ''));
}

/** `jane.doe@example.com` → `j•••@example.com`: the first character and the domain. Not an address: all hidden. */
export function maskEmail(email: string): string {
  if (email === ERASED) return ERASED;
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  const first = Array.from(trimmed.slice(0, at))[0];
  const domain = trimmed.slice(at + 1);
  if (at < 0 || first === undefined || domain === '') return '•••';
  return `${first}•••@${domain}`;
}

/** `Jane Doe` → `J. D.`: the initial of each part of the name. */
export function maskName(name: string): string {
  if (name === ERASED) return ERASED;
  return name
    .split(/\s+/u)
    .map((part) => Array.from(part)[0])
    .filter((initial) => initial !== undefined)
    .map((initial) => `${initial}.`)
    .join(' ');
}

/** A postal address shown as its city and country only: `Springfield, US`. */
export function maskPostalAddress(address: { readonly city: string; readonly country: string } | typeof ERASED): string {
  if (address === ERASED) return ERASED;
  return `${address.city.trim()}, ${address.country}`;
}

function lastFour(characters: string): string {
  const all = Array.from(characters);
  return all.length <= SHOWN_TAIL ? HIDDEN : `${HIDDEN} ${all.slice(-SHOWN_TAIL).join('')}`;
}
