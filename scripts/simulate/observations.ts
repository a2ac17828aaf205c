/**
 * What the simulator saw happen, as its agents report it: requests, the platform's answers, the debtors' money. The
 * platform's own account of the same run (read models, audit reports) is gathered at the end; the summary puts the
 * two side by side, and the invariants hold them to each other.
 */
export class Observations {
  /** Per account: the balance placed, in minor units (only accounts whose placement was accepted). */
  readonly placed = new Map<string, number>();
  /** Per account: the payments the gateway accepted, summed. */
  readonly paid = new Map<string, number>();
  /** Payments whose answer never came (still unavailable after every retry): the reconciliation names them. */
  readonly uncertainPayments = new Map<string, number>();
  paymentsAccepted = 0;
  paymentsRefused = 0;
  readonly contacts = { requested: 0, allowed: 0, blocked: 0 };
  readonly contactsByChannel = new Map<string, number>();
  readonly blocksByRule = new Map<string, number>();
  /** Outcomes recorded for calls. */
  readonly callOutcomes = new Map<string, number>();
  promisesRecorded = 0;
  promisesRefused = 0;
  plansProposed = 0;
  plansAccepted = 0;
  plansDeclined = 0;
  disputesFlagged = 0;
  disputesCleared = 0;
  complaintsRecorded = 0;
  complaintsResolved = 0;
  accountsClosed = 0;
  wilfulDefaultsFlagged = 0;
  escalationsRequested = 0;
  handoffsAcknowledged = 0;
  /** Answers nobody expected, by `<route> <code>`: a non-zero count is worth a look. */
  readonly unexpected = new Map<string, number>();

  add(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }

  get collected(): number {
    let sum = 0;
    for (const amount of this.paid.values()) sum += amount;
    return sum;
  }

  get placedTotal(): number {
    let sum = 0;
    for (const amount of this.placed.values()) sum += amount;
    return sum;
  }
}
