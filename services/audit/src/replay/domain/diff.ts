import { canonicalJson, isPlainObject } from './canonical-json';
import type { CaseSnapshot } from './snapshot';

/**
 * One difference between two snapshots, at a JSON Pointer (RFC 6901: `/account/balance/principal`,
 * `/contact/attempts/blockedByRule/reg-f.call-frequency`; `~` and `/` in a key are written `~0` and `~1`).
 */
export type Change =
  | { readonly path: string; readonly kind: 'changed'; readonly before: unknown; readonly after: unknown }
  | { readonly path: string; readonly kind: 'added'; readonly after: unknown }
  | { readonly path: string; readonly kind: 'removed'; readonly before: unknown };

/**
 * What changed from `a` to `b`, field by field, in a fixed order: depth first, keys sorted as canonical JSON sorts
 * them. Objects present on both sides are compared key by key; anything else — a value, an array (its elements have
 * no identity to pair them by: flags, reasons, time ranges), an object replacing null — is one change as a whole, and
 * so is an entry that appears or disappears (a new promise is one `added` change holding the whole promise).
 */
export function diffSnapshots(a: CaseSnapshot, b: CaseSnapshot): Change[] {
  const changes: Change[] = [];
  walk(a, b, '', changes);
  return changes;
}

function walk(before: unknown, after: unknown, path: string, changes: Change[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const had = before[key] !== undefined;
      const has = after[key] !== undefined;
      if (had && has) walk(before[key], after[key], at, changes);
      else if (has) changes.push({ path: at, kind: 'added', after: after[key] });
      else if (had) changes.push({ path: at, kind: 'removed', before: before[key] });
    }
    return;
  }
  if (canonicalJson(before) !== canonicalJson(after)) changes.push({ path, kind: 'changed', before, after });
}
