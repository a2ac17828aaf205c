/** What a collections department tunes about promises (docs/promises-to-pay.md). */
export interface PromisePolicy {
  /** Open promises one case may have at once. */
  readonly maxOpenPerCase: number;
  /** Days after the due date a promise stays open before it breaks. */
  readonly graceDays: number;
  /** How far ahead a promise may be made, in days. */
  readonly maxDaysAhead: number;
}

export const DEFAULT_PROMISE_POLICY: PromisePolicy = { maxOpenPerCase: 1, graceDays: 3, maxDaysAhead: 45 };
