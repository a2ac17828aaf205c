import { csvDocument } from './domain/csv';

describe('CSV (RFC 4180)', () => {
  it('ends every record with CRLF and quotes a field with a comma, a quote, CR or LF, doubling its quotes', () => {
    expect(csvDocument(['a', 'b', 'c'], [['plain', 'with, comma', 'say "hi"'], ['line\nbreak', 'cr\rhere', null], [1.5, true, '']])).toBe(
      'a,b,c\r\nplain,"with, comma","say ""hi"""\r\n"line\nbreak","cr\rhere",\r\n1.5,true,\r\n',
    );
  });

  it('keeps a spreadsheet from running what an operator typed as a formula', () => {
    expect(csvDocument(['x'], [['=HYPERLINK("http://evil")'], ['+1'], ['-2'], ['@SUM(A1)'], [-3]])).toBe('x\r\n"\'=HYPERLINK(""http://evil"")"\r\n\'+1\r\n\'-2\r\n\'@SUM(A1)\r\n-3\r\n');
  });

  it('refuses a row whose width is not the header\'s', () => {
    expect(() => csvDocument(['a', 'b'], [['only one']])).toThrow('CSV row 0 has 1 fields, the header 2');
  });
});
