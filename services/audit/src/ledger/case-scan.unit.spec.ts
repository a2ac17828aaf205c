import { randomUUID } from 'node:crypto';
import { CaseChainScanner, type CaseHeadsClaim, type CaseRow } from './case-scan';
import { caseLink, GENESIS, uuidBytes } from './chain';
import type { LedgerProblem } from './problems';
import { decodeCaseChains, encodeCaseChains, modelCheckpoints, modelLedger, storedEvents } from './testing/model';

function scan(rows: readonly CaseRow[], claims: readonly CaseHeadsClaim[] = []) {
  const problems: LedgerProblem[] = [];
  const scanner = new CaseChainScanner((problem) => problems.push(problem), claims);
  for (let start = 0; start < rows.length; start += 7) scanner.push(rows.slice(start, start + 7));
  scanner.end();
  return { problems, scanner, named: problems.map((problem) => `${problem.kind}@${problem.seq}`) };
}

describe('the case chain scanner', () => {
  const cases = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const model = modelLedger(storedEvents(40, { cases }));
  const rows = model.caseRows;

  it('finds nothing wrong in case chains as the formulas make them, and the checkpoints agree', () => {
    const { problems, scanner } = scan(rows, modelCheckpoints(model, [3, 10, 11, 25, 40]).cases);
    expect(problems).toEqual([]);
    expect(scanner.caseEntries).toBe(40);
    expect(scanner.cases).toBe(4);
  });

  it('counts a case in the checkpoint its chain starts before, and cases that start after the last checkpoint in none', () => {
    const claims = modelCheckpoints(model, [1, 2]).cases;
    expect(claims.map((claim) => claim.cases)).toEqual([1, 2]);
    expect(scan(rows, claims).problems).toEqual([]);
  });

  it('names a removed case entry where the chain skips it', () => {
    const [first] = rows;
    const removed = rows.filter((row) => !(row.caseId === first?.caseId && row.caseSeq === 3));
    const { named, problems } = scan(removed);
    expect(named).toEqual([`deleted@${rows[3]?.seq}`, `chain-broken@${rows[3]?.seq}`]);
    expect(problems[0]).toMatchObject({ check: 'case-chain', caseId: first?.caseId });
  });

  it('sees the last entry of a case removed only against a checkpoint', () => {
    const claims = modelCheckpoints(model, [40]).cases;
    const lastOfFirstCase = rows.filter((row) => row.caseId === rows[0]?.caseId).pop() as CaseRow;
    expect(scan(rows.filter((row) => row !== lastOfFirstCase), claims).named).toEqual(['checkpoint@40']);
  });

  it('names a case entry whose event is not the case\'s, or is not in the ledger', () => {
    const tampered = rows.map((row, index) => (index === 5 ? { ...row, member: false } : index === 6 ? { ...row, eventHash: null, eventId: null, member: null } : row));
    expect(scan(tampered).problems.map((problem) => [problem.kind, problem.check, problem.seq])).toEqual([
      ['inserted', 'case-links', rows[5]?.seq],
      ['inserted', 'case-links', rows[6]?.seq],
      ['chain-broken', 'case-chain', rows[6]?.seq],
    ]);
  });

  it('names a case hash changed on its own once', () => {
    const tampered = rows.map((row, index) => (index === 2 ? { ...row, caseHash: Buffer.alloc(32, 9) } : row));
    expect(scan(tampered).named).toEqual([`chain-broken@${rows[2]?.seq}`]);
  });

  it('names a case entry pointing back in the ledger', () => {
    const caseId = rows[0]?.caseId as string;
    const bytes = uuidBytes(caseId);
    const forged: CaseRow[] = [];
    let previous: Buffer = GENESIS;
    for (const [caseSeq, seq] of [[1, 1], [2, 9], [3, 5]] as const) {
      const eventHash = Buffer.alloc(32, seq);
      previous = caseLink(previous, bytes, caseSeq, seq, eventHash);
      forged.push({ caseId, caseSeq, seq, caseHash: previous, eventId: null, eventHash, member: true });
    }
    expect(scan(forged).named).toEqual(['reordered@5']);
  });

  it('reads case chains packed as records the same as rows, problems and all', () => {
    const tampered = rows.map((row, index) => (index === 5 ? { ...row, member: false } : index === 9 ? { ...row, caseHash: Buffer.alloc(3) } : index === 12 ? { ...row, eventHash: null, member: null } : row));
    const chains = encodeCaseChains(tampered);
    expect(decodeCaseChains(chains)).toEqual(tampered.map((row) => ({ ...row, eventId: null, caseHash: row.caseHash.length === 32 ? row.caseHash : Buffer.alloc(0) })));
    const claims = modelCheckpoints(model, [10, 40]).cases;
    const fromRows = scan(tampered.map((row) => ({ ...row, eventId: null })), claims).problems;
    const problems: LedgerProblem[] = [];
    const scanner = new CaseChainScanner((problem) => problems.push(problem), claims);
    for (const chain of chains) scanner.pushRecords(chain.caseId, chain.records);
    scanner.end();
    expect(problems).toEqual(fromRows);
    expect(problems.length).toBeGreaterThan(3);
    expect(() => scanner.pushRecords(rows[0]?.caseId as string, Buffer.alloc(80))).toThrow('81 bytes');
  });

  it('refuses checkpoints whose seqs do not increase (verification reports those before)', () => {
    expect(() => new CaseChainScanner(() => undefined, [
      { number: 1, seq: 5, caseHeads: '', cases: 0 },
      { number: 2, seq: 5, caseHeads: '', cases: 0 },
    ])).toThrow('must increase');
  });
});
