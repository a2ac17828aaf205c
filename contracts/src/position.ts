import { z } from 'zod';

/**
 * A place in the event store's global log, the same in every adapter: `"<commit>:<prepare>"`, two unsigned
 * integers compared in that order. EventStoreDB gives both numbers itself; PostgreSQL uses the writing
 * transaction's id and the row's sequence number, because a tailing reader must order by commit, not by
 * insert. The text form travels in headers and checkpoints unchanged; compare with `compareGlobalPositions`.
 */
export type GlobalPosition = string & { readonly __brand: 'GlobalPosition' };

const POSITION_PATTERN = /^(0|[1-9]\d*):(0|[1-9]\d*)$/;

export const GlobalPositionSchema = z
  .string()
  .regex(POSITION_PATTERN, 'must be "<commit>:<prepare>", two unsigned integers')
  .transform((value) => value as GlobalPosition);

export function globalPosition(commit: bigint | number, prepare: bigint | number): GlobalPosition {
  const c = BigInt(commit);
  const p = BigInt(prepare);
  if (c < 0n || p < 0n) throw new RangeError(`A global position is never negative (${c}:${p})`);
  return `${c}:${p}` as GlobalPosition;
}

export function parseGlobalPosition(position: string): { readonly commit: bigint; readonly prepare: bigint } {
  const match = POSITION_PATTERN.exec(position);
  if (match === null) throw new RangeError(`Not a global position: ${JSON.stringify(position)}`);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
}

export function compareGlobalPositions(a: string, b: string): -1 | 0 | 1 {
  const x = parseGlobalPosition(a);
  const y = parseGlobalPosition(b);
  if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
  if (x.prepare !== y.prepare) return x.prepare < y.prepare ? -1 : 1;
  return 0;
}

/** Before the first event: reading "after START" reads the whole log. */
export const START: GlobalPosition = globalPosition(0, 0);
