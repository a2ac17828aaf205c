/** The text a PDF written by pdfkit shows, for tests: each content stream inflated, each TJ/Tj string decoded. */
import { inflateSync } from 'node:zlib';

export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const lines: string[] = [];
  const streams = /<<((?:(?!<<)[^])*?)>>\s*stream\r?\n/g;
  for (let match = streams.exec(source); match !== null; match = streams.exec(source)) {
    const start = match.index + match[0].length;
    const end = source.indexOf('endstream', start);
    let body = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(match[1] ?? '')) {
      try {
        body = inflateSync(body);
      } catch {
        continue;
      }
    }
    const content = body.toString('latin1');
    // pdfkit writes standard-font text as hex strings, kerned ones inside [ ] TJ arrays.
    const shows = /\[((?:<[0-9a-f]*>|\s|-?\d+(?:\.\d+)?)*)\]\s*TJ|<([0-9a-f]*)>\s*Tj/gi;
    for (let show = shows.exec(content); show !== null; show = shows.exec(content)) {
      const hex = show[1] !== undefined ? [...show[1].matchAll(/<([0-9a-f]*)>/gi)].map((part) => part[1]).join('') : (show[2] ?? '');
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return lines.join('\n');
}
