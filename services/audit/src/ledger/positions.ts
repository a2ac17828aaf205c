/**
 * Global positions (`"<commit>:<prepare>"`) compared without BigInt: two decimal integers without leading zeros
 * compare by length, then as text. `compareGlobalPositions` in @arrears/contracts is the reference (and the unit test
 * checks the two agree); this one runs on every entry and every store event of a verification.
 */
const POSITION = /^(?:0|[1-9]\d*):(?:0|[1-9]\d*)$/;

export function isGlobalPosition(position: string): boolean {
  return POSITION.test(position);
}

/** For two well-formed positions (`isGlobalPosition`): -1, 0 or 1. */
export function comparePositions(a: string, b: string): number {
  if (a === b) return 0;
  const colonA = a.indexOf(':');
  const colonB = b.indexOf(':');
  if (colonA !== colonB) return colonA < colonB ? -1 : 1;
  const commitA = a.slice(0, colonA);
  const commitB = b.slice(0, colonB);
  if (commitA !== commitB) return commitA < commitB ? -1 : 1;
  const prepareLength = a.length - colonA - b.length + colonB;
  if (prepareLength !== 0) return prepareLength < 0 ? -1 : 1;
  return a < b ? -1 : 1;
}
