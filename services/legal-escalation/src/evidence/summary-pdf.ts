import type { EventEnvelope } from '@arrears/contracts';
import PDFDocument from 'pdfkit';
import { ENCRYPTED, type DecodedHistory } from './views/decode';
import { formatMoney, type BalanceView } from './views/money';
import type { ContactLog } from './views/contacts';
import type { Flags } from './views/flags';
import type { PromisesAndPlans } from './views/promises-and-plans';
import type { Statement } from './views/statement';
import { describeEvent } from './views/describe-event';

export interface SummaryInput {
  readonly caseId: string;
  readonly accountId: string;
  readonly reasons: readonly string[];
  readonly requestedAt: string;
  readonly keyId: string;
  /** SHA-256 of `events.jsonl`: the summary names the exact history it summarises. */
  readonly historySha256: string;
  readonly events: readonly EventEnvelope[];
  readonly decoded: DecodedHistory;
  readonly statement: Statement;
  readonly contacts: ContactLog;
  readonly promisesAndPlans: PromisesAndPlans;
  readonly flags: Flags;
}

export interface RenderOptions {
  /** Off only to read the text in tests; the package's PDF is always compressed. */
  readonly compress?: boolean;
}

const MARGIN = 56;
const BODY = 10;
const SMALL = 8;

/**
 * The summary a lawyer reads: parties (the debtor only as encrypted), amounts, escalation reasons, broken promises
 * and plans, contact history and the full timeline. The same input gives the same bytes: pdfkit's dates are set to
 * `requestedAt` and its file ID is an MD5 of the document info (the case, the time, the history's hash), text is
 * formatted without the machine's locale or time zone, and only the standard fonts (nothing embedded) are used.
 */
export function renderSummaryPdf(input: SummaryInput, options: RenderOptions = {}): Promise<Buffer> {
  const at = new Date(input.requestedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    info: {
      Title: `Evidence package, case ${input.caseId}`,
      Subject: `Legal escalation requested at ${input.requestedAt}`,
      Keywords: `history-sha256:${input.historySha256} key:${input.keyId}`,
      Author: 'Arrears legal-escalation',
      Creator: 'Arrears legal-escalation',
      Producer: 'Arrears legal-escalation (PDFKit)',
      CreationDate: at,
      ModDate: at,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  write(doc, input);
  footers(doc, input.caseId);
  doc.end();
  return done;
}

function write(doc: PDFKit.PDFDocument, input: SummaryInput): void {
  const { statement, contacts, promisesAndPlans, flags } = input;
  const currency = statement.currency ?? 'XXX';
  const amount = (minor: number) => formatMoney(minor, currency);
  const text = new Writer(doc);

  doc.font('Helvetica-Bold').fontSize(16).text('Evidence package');
  doc.fontSize(12).text(safe(`Case ${input.caseId}`));
  doc.font('Helvetica').fontSize(BODY).moveDown(0.3);
  text.line(`Fixed for legal escalation requested at ${instant(input.requestedAt)}. ${input.events.length} events from ${new Set(input.events.map((event) => event.streamId)).size} streams.`);
  text.line(`History (events.jsonl) SHA-256: ${input.historySha256}`);
  text.line(`The manifest listing every item and event is signed with Ed25519 key ${input.keyId}; see docs/evidence-packages.md for how to verify it.`);

  text.heading('Reasons for escalation');
  for (const reason of input.reasons) text.bullet(reason);

  text.heading('Parties');
  text.pair('Creditor', statement.creditor === null ? 'not in the history' : `${statement.creditor.name} (${statement.creditor.creditorId})`);
  text.pair('Creditor reference', statement.creditorReference ?? 'not in the history');
  text.pair('Account', `${input.accountId}${statement.product === null ? '' : `, ${statement.product}`}`);
  const debtor = statement.debtor;
  if (debtor === null) {
    text.pair('Debtor', 'not in the history');
  } else {
    text.pair('Debtor', `${ENCRYPTED} (debtor id ${debtor.debtorId})`);
    text.pair('Debtor contact details', `${debtor.phones} phone(s), ${debtor.emails} email(s)${debtor.postalAddress === null ? '' : ', a postal address'}: ${ENCRYPTED}`);
    text.pair('Jurisdiction', `${debtor.jurisdiction}, language ${debtor.language}${debtor.timeZone === null ? '' : `, time zone ${debtor.timeZone}`}`);
  }
  if (statement.debtorDataErased !== null) text.line(`The debtor's personal data was erased on ${instant(statement.debtorDataErased.occurredAt)}: their fields can no longer be read by anyone.`);
  text.note('Personal data is held in the events encrypted under the debtor\'s own key; this package never decrypts it.');

  text.heading('Amounts');
  if (statement.placement !== null) text.pair('Placed', `${balance(statement.placement.balance, amount)}, due ${statement.dueDate ?? '?'}`);
  text.pair('Paid', `${amount(statement.totals.paid)} in ${statement.totals.payments} payment(s)`);
  text.pair('Waived', amount(statement.totals.waived));
  if (statement.current !== null) text.pair('Balance now', `${balance(statement.current.balance, amount)}${statement.current.credit > 0 ? `; credit held ${amount(statement.current.credit)}` : ''}`);
  if (statement.closing !== null) text.pair('Closed', `${instant(statement.closing.occurredAt)}: ${statement.closing.reason}`);
  for (const line of statement.lines) {
    text.small(
      line.kind === 'payment'
        ? `${line.receivedOn}  payment ${line.paymentReference}  ${amount(line.amount)} (fees ${amount(line.allocation.fees)}, interest ${amount(line.allocation.interest)}, principal ${amount(line.allocation.principal)}, credit ${amount(line.allocation.credit)})  balance after ${amount(line.balanceAfter.total)}`
        : `${day(line.occurredAt)}  ${line.adjustment} ${amount(line.amount)} approved by ${line.approvedBy}: ${line.reason}  balance after ${amount(line.balanceAfter.total)}`,
    );
  }

  text.heading('Promises to pay');
  const { promises, plans, totals } = promisesAndPlans;
  text.line(`${totals.promises} promise(s): ${totals.kept} kept, ${totals.broken} broken.`);
  const broken = promises.filter((promise) => promise.status === 'broken');
  if (broken.length > 0) text.line('Broken promises:');
  for (const promise of broken) {
    text.bullet(`${formatMoney(promise.amount, promise.currency)} promised on ${promise.madeOn}, due ${promise.dueDate} (+${promise.graceDays} days' grace): ${formatMoney(promise.outcome?.paid ?? 0, promise.currency)} paid, broken ${promise.outcome?.brokenOn ?? '?'}`);
  }
  for (const promise of promises.filter((entry) => entry.status !== 'broken')) {
    text.small(`${promise.madeOn}  ${formatMoney(promise.amount, promise.currency)} due ${promise.dueDate}: ${promise.status}`);
  }

  text.heading('Payment plans');
  if (plans.length === 0) text.line('None.');
  for (const plan of plans) {
    const missed = plan.instalments.filter((instalment) => instalment.status === 'missed' || instalment.status === 'missed-then-paid').map((instalment) => instalment.number);
    text.bullet(
      `Proposed ${day(plan.proposed.occurredAt)}: ${plan.instalments.length} ${plan.proposed.frequency} instalments, ${formatMoney(plan.proposed.total, plan.currency)}; ` +
        `${plan.accepted === null ? 'never accepted' : `accepted ${plan.accepted.acceptedOn} (signed document ${plan.accepted.commitment.documentId}, SHA-256 ${plan.accepted.commitment.sha256})`}; ` +
        `${missed.length === 0 ? 'no instalment missed' : `instalment(s) ${missed.join(', ')} missed`}; now ${plan.status}.`,
    );
  }

  text.heading('Contact history');
  const outcomeCounts = Object.entries(contacts.totals.outcomes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  text.line(`${contacts.totals.allowed} contact(s) allowed and ${contacts.totals.blocked} blocked by the compliance rules; ${contacts.totals.conversations} conversation(s). Outcomes: ${outcomeCounts || 'none recorded'}.`);
  for (const attempt of contacts.attempts) {
    const decision = attempt.decision === null ? 'no decision recorded' : `${attempt.decision.result}${attempt.decision.reasons.length === 0 ? '' : ` (${attempt.decision.reasons.map((reason) => reason.ruleId).join(', ')})`}`;
    const outcome = attempt.outcome === null ? '' : `; ${attempt.outcome.outcome}${attempt.outcome.durationSeconds === null ? '' : ` ${attempt.outcome.durationSeconds} s`}`;
    text.small(`${attempt.intendedAt === null ? '?' : instant(attempt.intendedAt)}  ${attempt.channel ?? '?'} (${attempt.purpose ?? '?'}) by ${attempt.operatorId ?? '?'}: ${decision}${outcome}`);
  }
  text.line(`Complaints: ${contacts.totals.complaints} (${contacts.totals.complaintsUpheld} upheld).`);
  for (const complaint of contacts.complaints) {
    text.bullet(
      `${complaint.receivedAt === null ? '?' : instant(complaint.receivedAt)}: ${complaint.category ?? '?'}; ` +
        (complaint.resolution === null ? 'unresolved' : `${complaint.resolution.upheld ? 'upheld' : 'not upheld'} ${instant(complaint.resolution.resolvedAt)}: ${complaint.resolution.resolution}`),
    );
  }

  text.heading('Flags');
  if (flags.periods.length === 0) text.line('None set.');
  for (const period of flags.periods) {
    text.bullet(`${period.flag}: set ${instant(period.set.occurredAt)} (${period.set.reason})${period.cleared === null ? ', still set' : `, cleared ${instant(period.cleared.occurredAt)} (${period.cleared.reason})`}`);
  }

  text.heading('Timeline');
  const decoded = new Map(input.decoded.events.map((entry) => [entry.envelope.eventId, entry.event]));
  for (const event of input.events) {
    const known = decoded.get(event.eventId);
    text.small(`${instant(event.occurredAt)}  [${event.eventId.slice(0, 8)}]  ${event.streamId.split('-')[0]} #${event.streamPosition}  ${event.metadata.actorId}: ${known === undefined ? `${event.type} (not decoded)` : describeEvent(known)}`);
  }
  if (input.decoded.undecoded.length > 0) {
    text.heading('Events not decoded');
    text.line('These events are in events.jsonl as stored, but their type or data is not one the published contracts describe, so no view above shows them:');
    for (const event of input.decoded.undecoded) text.small(`${event.eventId} ${event.type} (${event.streamId} #${event.streamPosition}): ${event.reason}`);
  }
}

function footers(doc: PDFKit.PDFDocument, caseId: string): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // Writing below the bottom margin would start a new page; the footer sits in the margin on purpose.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(SMALL).text(`Case ${caseId}  -  page ${index + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN / 2, { lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

class Writer {
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  heading(title: string): void {
    this.doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(safe(title), MARGIN).font('Helvetica').fontSize(BODY).moveDown(0.2);
  }

  line(content: string): void {
    this.doc.font('Helvetica').fontSize(BODY).text(safe(content), MARGIN);
  }

  pair(label: string, value: string): void {
    this.doc.font('Helvetica-Bold').fontSize(BODY).text(`${safe(label)}: `, MARGIN, undefined, { continued: true }).font('Helvetica').text(safe(value));
  }

  bullet(content: string): void {
    this.doc.font('Helvetica').fontSize(BODY).text(`- ${safe(content)}`, MARGIN + 8, undefined, { indent: 0 });
  }

  small(content: string): void {
    this.doc.font('Helvetica').fontSize(SMALL).text(safe(content), MARGIN + 8);
  }

  note(content: string): void {
    this.doc.font('Helvetica-Oblique').fontSize(SMALL).text(safe(content), MARGIN).font('Helvetica').fontSize(BODY);
  }
}

/**
 * The standard PDF fonts cover Windows-1252 only, and pdfkit would write anything else as a wrong glyph; it is shown
 * as `?` instead. The JSON items hold the exact text.
 */
export function safe(text: string): string {
  return text.replace(/[^\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\n]/gu, '?');
}

/** `2026-11-29T09:30:00.000Z` → `2026-11-29 09:30 UTC`, whatever the machine's time zone. */
function instant(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function day(iso: string): string {
  return instant(iso).slice(0, 10);
}

function balance(view: BalanceView, amount: (minor: number) => string): string {
  return `${amount(view.total)} (principal ${amount(view.principal)}, fees ${amount(view.fees)}, interest ${amount(view.interest)})`;
}
