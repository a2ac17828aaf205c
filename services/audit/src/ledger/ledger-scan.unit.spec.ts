import { GENESIS, globalLink } from './chain';
import { LedgerScanner, type GlobalHeadClaim, type LedgerRow } from './ledger-scan';
import type { LedgerProblem } from './problems';
import { modelCheckpoints, modelLedger, storedEvents } from './testing/model';

function scan(rows: readonly LedgerRow[], claims: readonly GlobalHeadClaim[] = [], pages = 3) {
  const problems: LedgerProblem[] = [];
  const scanner = new LedgerScanner((problem) => problems.push(problem), claims);
  const out: LedgerRow[] = [];
  const size = Math.max(1, Math.ceil(rows.length / pages));
  for (let start = 0; start < rows.length; start += size) out.push(...scanner.push(rows.slice(start, start + size)));
  out.push(...scanner.end());
  expect(out).toEqual(rows);
  return { problems, scanner, named: problems.map((problem) => `${problem.kind}@${problem.seq}`) };
}

/** The chain rewritten from `from` on, as an attacker with the formulas would. */
function rechained(rows: LedgerRow[]): LedgerRow[] {
  let previous: Buffer = GENESIS;
  return rows.map((row) => {
    const globalHash = globalLink(previous, row.seq, row.eventHash);
    previous = globalHash;
    return { ...row, globalHash: globalHash.toString('hex') };
  });
}

describe('the ledger scanner', () => {
  const model = modelLedger(storedEvents(20));
  const rows = model.rows;

  it('finds nothing wrong in a ledger as the formulas make it, and the checkpoints agree', () => {
    const { problems, scanner } = scan(rows, modelCheckpoints(model, [5, 12, 20]).global);
    expect(problems).toEqual([]);
    expect(scanner.entries).toBe(20);
    expect(scanner.expectedCaseLinks).toBe(20);
    expect(scanner.lastSeqSeen).toBe(20);
  });

  it('names a changed text at its seq (the hash no longer matches) and blames no other entry', () => {
    const tampered = rows.map((row) => (row.seq === 7 ? { ...row, text: row.text.replace('"minor":106', '"minor":1') } : row));
    expect(scan(tampered).named).toEqual(['modified@7']);
  });

  it('names a changed text whose event hash was recomputed too: the chain breaks there, and only there', () => {
    const original = rows[6] as LedgerRow;
    const text = original.text.replace('"minor":106', '"minor":1');
    const tampered = rows.map((row) => (row.seq === 7 ? { ...row, text, eventHash: modelLedger([JSON.parse(text)]).rows[0]?.eventHash as string } : row));
    expect(scan(tampered).named).toEqual(['chain-broken@7']);
  });

  it('names a deleted entry by the gap it leaves; the entry after it no longer links', () => {
    const { named, problems } = scan(rows.filter((row) => row.seq !== 9));
    expect(named).toEqual(['deleted@9', 'chain-broken@10']);
    expect(problems[0]?.detail).toBe('entry 9 is missing: the sequence goes from 8 to 10');
  });

  it('sees a deletion renumbered and rechained only against the checkpoints', () => {
    const claims = modelCheckpoints(model, [5, 12]).global;
    const renumbered = rechained(rows.filter((row) => row.seq !== 9).map((row, index) => ({ ...row, seq: index + 1 })));
    expect(scan(renumbered, claims).named).toEqual(['checkpoint@12']);
  });

  it('names a checkpoint beyond the end of the ledger as the removal of its last entries', () => {
    const claims = modelCheckpoints(model, [20]).global;
    const { named, problems } = scan(rows.slice(0, 17), claims);
    expect(named).toEqual(['deleted@18']);
    expect(problems[0]?.detail).toContain('entries 18..20 were removed');
  });

  it('names an entry added with a number already used', () => {
    const copy = { ...(rows[4] as LedgerRow), eventId: 'b7c0f5a2-0000-4000-8000-000000000000' };
    const tampered = [...rows.slice(0, 5), copy, ...rows.slice(5)];
    expect(scan(tampered).named).toEqual(['inserted@5', 'chain-broken@5', 'reordered@5']);
  });

  it('names two swapped entries where they sit: out of order, and their links broken', () => {
    const swapped = rows.map((row) => (row.seq === 4 ? { ...(rows[10] as LedgerRow), seq: 4 } : row.seq === 11 ? { ...(rows[3] as LedgerRow), seq: 11 } : row));
    expect(scan(swapped).named).toEqual(['chain-broken@4', 'chain-broken@5', 'reordered@4', 'chain-broken@11', 'chain-broken@12', 'reordered@11']);
  });

  it('names a global hash changed on its own once, not again at the entry after it', () => {
    const tampered = rows.map((row) => (row.seq === 3 ? { ...row, globalHash: '01'.repeat(32) } : row));
    expect(scan(tampered).named).toEqual(['chain-broken@3']);
  });

  it('compares each checkpoint with the chain recomputed from the texts, not with the stored hashes', () => {
    const claims = modelCheckpoints(model, [5, 10, 15]).global;
    // A stored event hash changed and the chain rewritten after it: the texts, hashed again, still give the signed heads.
    const hashForged = rechained(rows.map((row) => (row.seq === 6 ? { ...row, eventHash: '02'.repeat(32) } : row)));
    expect(scan(hashForged, claims).named).toEqual(['modified@6']);
    // A text changed, its hash recomputed and the chain rewritten: consistent in itself, refuted by every later checkpoint.
    const text = (rows[5] as LedgerRow).text.replace('"minor":105', '"minor":1');
    const textForged = rechained(rows.map((row) => (row.seq === 6 ? { ...row, text, eventHash: modelLedger([JSON.parse(text)]).rows[0]?.eventHash as string } : row)));
    expect(scan(textForged, claims).named).toEqual(['checkpoint@10', 'checkpoint@15']);
  });
});
