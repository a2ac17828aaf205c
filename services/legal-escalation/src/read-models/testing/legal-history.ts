/**
 * Handoff histories for the read-model tests, built by hand (the handoff saga is not written yet to decide them): each
 * event stored as the event store would give it back, its data checked by the contracts (`catalog.encode`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventCatalog, legalEscalation, type accounts, type EventEnvelope, type Role } from '@arrears/contracts';
import { History } from '@arrears/read-models/src/testing/history';
import { accountPlaced, storedEvent } from '@arrears/testing';
import type { LitigationStatus } from '../entities';

type LegalEvent = legalEscalation.LegalEvent;
type Actor = { readonly actorId: string; readonly actorRole: Role };

const catalog = new EventCatalog(legalEscalation.LEGAL_EVENTS);
const SAGA: Actor = { actorId: 'system:legal-escalation', actorRole: 'system' };
const HOUR = 3_600_000;

export { History };

/** `at` plus `hours`, as an ISO instant. */
export function later(at: string, hours: number): string {
  return new Date(Date.parse(at) + hours * HOUR).toISOString();
}

/** Whole and fractional hours from `from` to `to`. */
function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / HOUR;
}

/**
 * One case's handoff stream (`legal-<accountId>`): each call appends the next stored event. It keeps the current
 * handoff's number, request time and package, so that the events it makes are the ones the saga would.
 */
export class LegalStream {
  readonly events: EventEnvelope[] = [];
  handoff = 0;
  packageId = '';
  private requestedAt = '';
  private delivered = false;

  constructor(
    private readonly history: History = new History(),
    readonly caseId: string = randomUUID(),
  ) {}

  append(event: LegalEvent, occurredAt: string, actor: Actor = SAGA): EventEnvelope {
    const stored = this.history.store(storedEvent(catalog.encode(event), this.caseId, { occurredAt, ...actor }), `legal-${this.caseId}`, this.events.length);
    this.events.push(stored);
    return stored;
  }

  /** The next handoff, requested at `at` (by the case saga unless `by` says) and started at once. */
  start(at: string, options: { readonly by?: string; readonly reasons?: readonly string[] } = {}): EventEnvelope {
    this.handoff += 1;
    this.requestedAt = at;
    this.packageId = '';
    this.delivered = false;
    const requestedBy = options.by ?? 'system:case-workflow';
    const reasons = [...(options.reasons ?? ['95 days past due with 2 broken promises'])];
    const data = { caseId: this.caseId, accountId: this.caseId, handoff: this.handoff, reasons, requestedBy, requestedAt: at, remindAt: [later(at, 24), later(at, 36)], overdueAt: later(at, 48) };
    return this.append({ type: 'HandoffStarted', data }, at);
  }

  /** The running handoff refused: a hold found, or the case could not be handed over. */
  refuse(at: string, holds: readonly accounts.Flag[], reason = `A ${holds.join(' and ')} hold applies`): EventEnvelope {
    return this.append({ type: 'HandoffRefused', data: { caseId: this.caseId, handoff: this.handoff, reason, holds: [...holds] } }, at);
  }

  /** The next handoff refused as it was requested, before it started. */
  refuseRequest(at: string, holds: readonly accounts.Flag[], reason?: string): EventEnvelope {
    this.handoff += 1;
    return this.refuse(at, holds, reason);
  }

  fixEvidence(at: string): EventEnvelope {
    this.packageId = sha256(`${this.caseId}:${this.handoff}`);
    const items = [
      { name: 'manifest.json', sha256: sha256(`${this.packageId}:manifest`), bytes: 2_048 },
      { name: 'history.pdf', sha256: sha256(`${this.packageId}:pdf`), bytes: 81_920 },
    ];
    const data = { caseId: this.caseId, handoff: this.handoff, packageId: this.packageId, items, events: 42, signature: Buffer.from(this.packageId).toString('base64'), keyId: 'legal-signing-2027' };
    return this.append({ type: 'EvidenceFixed', data }, at);
  }

  deliver(at: string): EventEnvelope {
    this.delivered = true;
    const data = { caseId: this.caseId, accountId: this.caseId, handoff: this.handoff, packageId: this.packageId, hoursSinceRequest: hoursBetween(this.requestedAt, at), download: `/api/legal/packages/${this.packageId}` };
    return this.append({ type: 'LegalPackageDelivered', data }, at);
  }

  remind(at: string): EventEnvelope {
    const data = { caseId: this.caseId, handoff: this.handoff, hoursSinceRequest: Math.round(hoursBetween(this.requestedAt, at)), delivered: this.delivered };
    return this.append({ type: 'HandoffReminderSent', data }, at);
  }

  overdue(at: string): EventEnvelope {
    return this.append({ type: 'LegalHandoffOverdue', data: { caseId: this.caseId, handoff: this.handoff, delivered: this.delivered, alerted: ['supervisor', 'legal-lead'] } }, at);
  }

  acknowledge(at: string, by = 'legal-1'): EventEnvelope {
    const data = { caseId: this.caseId, handoff: this.handoff, packageId: this.packageId, acknowledgedBy: by, hoursSinceRequest: hoursBetween(this.requestedAt, at) };
    return this.append({ type: 'HandoffAcknowledged', data }, at, { actorId: by, actorRole: 'legal' });
  }

  /** Legal's report of where the litigation stands on the day `on`. */
  litigation(status: LitigationStatus, on: string, at: string, options: { readonly hearingDate?: string; readonly note?: string; readonly by?: string } = {}): EventEnvelope {
    const by = options.by ?? 'legal-1';
    const { hearingDate, note } = options;
    const data = { caseId: this.caseId, handoff: this.handoff, status, on, reportedBy: by, ...(hearingDate === undefined ? {} : { hearingDate }), ...(note === undefined ? {} : { note }) };
    return this.append({ type: 'LitigationStatusReported', data }, at, { actorId: by, actorRole: 'legal' });
  }

  /** Saga effect events: a command sent, a command refused, a timer set or cleared. */
  commandIssued(command: string, at: string): EventEnvelope {
    const data = { sagaId: this.caseId, commandId: randomUUID(), service: 'legal-escalation', command, data: { accountId: this.caseId, handoff: this.handoff }, reason: `${command} for handoff ${this.handoff}` };
    return this.append({ type: 'SagaCommandIssued', data }, at);
  }

  commandRefused(command: string, message: string, at: string): EventEnvelope {
    const data = { sagaId: this.caseId, commandId: randomUUID(), service: 'legal-escalation', command, code: 'STATE_CONFLICT', message };
    return this.append({ type: 'SagaCommandRefused', data }, at);
  }

  timerSet(kind: string, fireAt: string, at: string): EventEnvelope {
    return this.append({ type: 'SagaTimerSet', data: { sagaId: this.caseId, timerId: randomUUID(), kind, fireAt, payload: { handoff: this.handoff } } }, at);
  }

  timerCleared(kind: string, at: string): EventEnvelope {
    return this.append({ type: 'SagaTimerCleared', data: { sagaId: this.caseId, timerId: randomUUID(), kind } }, at);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface RealisticHandoffs {
  readonly history: History;
  /** Every event of every stream, in the order they were committed. */
  readonly events: readonly EventEnvelope[];
  readonly a: LegalStream;
  readonly b: LegalStream;
  readonly c: LegalStream;
  readonly d: LegalStream;
  readonly e: LegalStream;
  readonly f: LegalStream;
  readonly g: LegalStream;
  readonly streams: readonly LegalStream[];
  /** A's and D's AccountPlaced (position 0 of their account streams); the other cases' are not given. */
  readonly placements: readonly EventEnvelope[];
}

/** An AccountPlaced, stored at position 0 of the account's stream. */
export function placement(history: History, caseId: string, creditorId: string, product: accounts.Product, jurisdiction: string, at: string): EventEnvelope {
  const placed = accountPlaced(caseId, { jurisdiction });
  return history.store({ ...placed, occurredAt: at, data: { ...placed.data, creditor: { creditorId, name: creditorId }, product } }, `account-${caseId}`, 0);
}

/**
 * Seven cases sent to legal in July 2027 (UTC), by the case saga unless said; hours are from the request. As the saga
 * does, the evidence is fixed and delivered in one decision (but for F), and a hold found as a supervisor asks is a
 * handoff refused before it started (G):
 * - A: requested 1 July 08:00 (two reasons; three timers and FixEvidence); delivered 10:00 (2 h); reminded at 24 h;
 *   acknowledged by legal-1 on 2 July 20:00 (36 h, two timers cleared); filed 5 July, hearing set on 10 July for
 *   15 September: litigating.
 * - B (supervisor-2): requested 2 July 09:00; delivered 3 July 03:00 (18 h); reminded at 24 and 36 h; overdue on
 *   4 July 09:00; acknowledged by legal-2 on 4 July 15:00 (54 h): acknowledged, overdue.
 * - C: handoff 1 requested 3 July 10:00, delivered 14:00 (4 h), acknowledged 22:00 (12 h), filed 6 July, withdrawn
 *   15 July: closed. Handoff 2 (supervisor-2) requested 20 July 10:00, reminded at 24 h, delivered 21 July 16:00
 *   (30 h), acknowledged by legal-2 on 22 July 04:00 (42 h): acknowledged.
 * - D: requested 5 July 12:00; reminded at 24 and 36 h; overdue on 7 July 12:00; delivered 7 July 18:00 (54 h):
 *   delivered, overdue, not acknowledged.
 * - E: requested 6 July 09:00; its FixEvidence refused at 09:05 (a bankruptcy hold found), so the handoff: refused.
 * - F (supervisor-3): requested 8 July 08:00; evidence fixed 08:15, its delivery not yet applied here: evidence-fixed.
 * - G: handoff 1 refused as supervisor-1 asked, 9 July 10:00 (a dispute); handoff 2 (supervisor-2) requested 25 July
 *   09:00: requested.
 * A was placed by Acme (a credit card, the debtor in Illinois), D by Globex (telecom, the debtor in California), both
 * in June; the other placements are not given.
 */
export function realisticHandoffs(): RealisticHandoffs {
  const history = new History();
  const [a, b, c, d, e, f, g] = Array.from({ length: 7 }, () => new LegalStream(history)) as [LegalStream, LegalStream, LegalStream, LegalStream, LegalStream, LegalStream, LegalStream];

  const placements = [placement(history, a.caseId, 'acme', 'credit-card', 'US-IL', '2027-06-01T09:00:00.000Z'), placement(history, d.caseId, 'globex', 'telecom', 'US-CA', '2027-06-02T09:00:00.000Z')];
  a.start('2027-07-01T08:00:00.000Z', { reasons: ['95 days past due with 2 broken promises', '2 payment plans defaulted'] });
  for (const [kind, hours] of [['reminder-24', 24], ['reminder-36', 36], ['overdue', 48]] as const) a.timerSet(kind, later('2027-07-01T08:00:00.000Z', hours), '2027-07-01T08:00:00.000Z');
  a.commandIssued('FixEvidence', '2027-07-01T08:00:00.000Z');
  a.fixEvidence('2027-07-01T10:00:00.000Z');
  a.deliver('2027-07-01T10:00:00.000Z');
  a.remind('2027-07-02T08:00:00.000Z');
  b.start('2027-07-02T09:00:00.000Z', { by: 'supervisor-2', reasons: ['Debtor stopped answering after the settlement offer'] });
  a.acknowledge('2027-07-02T20:00:00.000Z', 'legal-1');
  a.timerCleared('reminder-36', '2027-07-02T20:00:00.000Z');
  a.timerCleared('overdue', '2027-07-02T20:00:00.000Z');
  b.fixEvidence('2027-07-03T03:00:00.000Z');
  b.deliver('2027-07-03T03:00:00.000Z');
  b.remind('2027-07-03T09:00:00.000Z');
  c.start('2027-07-03T10:00:00.000Z');
  c.fixEvidence('2027-07-03T14:00:00.000Z');
  c.deliver('2027-07-03T14:00:00.000Z');
  b.remind('2027-07-03T21:00:00.000Z');
  c.acknowledge('2027-07-03T22:00:00.000Z', 'legal-1');
  b.overdue('2027-07-04T09:00:00.000Z');
  b.acknowledge('2027-07-04T15:00:00.000Z', 'legal-2');
  a.litigation('filed', '2027-07-05', '2027-07-05T09:00:00.000Z');
  d.start('2027-07-05T12:00:00.000Z');
  e.start('2027-07-06T09:00:00.000Z');
  e.commandIssued('FixEvidence', '2027-07-06T09:00:00.000Z');
  e.commandRefused('FixEvidence', 'a hold applies to the account: bankruptcy (petition filed on 2027-07-05)', '2027-07-06T09:05:00.000Z');
  e.refuse('2027-07-06T09:05:00.000Z', [], 'a hold applies to the account: bankruptcy (petition filed on 2027-07-05)');
  c.litigation('filed', '2027-07-06', '2027-07-06T11:00:00.000Z');
  d.remind('2027-07-06T12:00:00.000Z');
  d.remind('2027-07-07T00:00:00.000Z');
  d.overdue('2027-07-07T12:00:00.000Z');
  d.fixEvidence('2027-07-07T18:00:00.000Z');
  d.deliver('2027-07-07T18:00:00.000Z');
  f.start('2027-07-08T08:00:00.000Z', { by: 'supervisor-3', reasons: ['Assets found after the debtor moved'] });
  f.fixEvidence('2027-07-08T08:15:00.000Z');
  g.refuseRequest('2027-07-09T10:00:00.000Z', ['dispute'], 'a hold applies to the account: dispute');
  a.litigation('hearing-set', '2027-07-10', '2027-07-10T09:00:00.000Z', { hearingDate: '2027-09-15', note: 'The debtor’s daughter called the court' });
  c.litigation('withdrawn', '2027-07-15', '2027-07-15T12:00:00.000Z', { note: 'Creditor asked to withdraw' });
  c.start('2027-07-20T10:00:00.000Z', { by: 'supervisor-2', reasons: ['Withdrawn action: the creditor asks again'] });
  c.remind('2027-07-21T10:00:00.000Z');
  c.fixEvidence('2027-07-21T16:00:00.000Z');
  c.deliver('2027-07-21T16:00:00.000Z');
  c.acknowledge('2027-07-22T04:00:00.000Z', 'legal-2');
  g.start('2027-07-25T09:00:00.000Z', { by: 'supervisor-2', reasons: ['The dispute was resolved for the creditor'] });

  return { history, events: history.events, a, b, c, d, e, f, g, streams: [a, b, c, d, e, f, g], placements };
}
