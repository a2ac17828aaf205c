import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL `bigint` (and the `numeric` a `sum` returns) reaches node-postgres as a string, because not every
 * value fits a JavaScript number. Money here is a number of minor units, so it is converted, and a value beyond
 * 2^53 − 1 is refused rather than silently rounded.
 */
export function toSafeInteger(value: string | number | bigint, what = 'value'): number {
  const number = typeof value === 'number' ? value : Number(value);
  // Every integer up to 2^53 − 1 converts exactly, so being safe after the conversion means nothing was lost.
  if (!Number.isSafeInteger(number)) {
    throw new RangeError(`${what} ${String(value)} is not a safe integer: it cannot be handled as a JavaScript number without losing units`);
  }
  return number;
}

/** A `bigint` column seen as a safe integer number. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => (value === null || value === undefined ? value : toSafeInteger(value, 'bigint column')),
  from: (value: string | null) => (value === null ? null : toSafeInteger(value, 'bigint column')),
};
