/** Canonical JSON (RFC 8785 for event values) is the platform's, in contracts: the ledger hashes exactly that text. */
export { canonicalJson } from '@arrears/contracts';
export { sha256Hex } from '@arrears/security';
