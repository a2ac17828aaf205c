import { ProtocolError, ProtocolParser } from './protocol';

describe('the NATS client protocol parser', () => {
  it('parses operations cut anywhere across chunks, payloads included', () => {
    const parser = new ProtocolParser(1_024);
    const text = 'CONNECT {"headers":true}\r\nSUB a.* q 1\r\nPUB a.b _INBOX.x 5\r\nhello\r\nHPUB a.c 12 14\r\nNATS/1.0\r\n\r\nhi\r\nUNSUB 1 3\r\nPING\r\n';
    const ops = [];
    for (let i = 0; i < text.length; i += 7) ops.push(...parser.push(Buffer.from(text.slice(i, i + 7))));
    expect(ops.map((op) => ('payload' in op ? { ...op, payload: op.payload.toString(), headers: op.headers?.toString() } : op))).toEqual([
      { op: 'CONNECT', options: { headers: true } },
      { op: 'SUB', subject: 'a.*', queue: 'q', sid: '1' },
      { op: 'PUB', subject: 'a.b', reply: '_INBOX.x', headers: undefined, payload: 'hello' },
      { op: 'PUB', subject: 'a.c', reply: undefined, headers: 'NATS/1.0\r\n\r\n', payload: 'hi' },
      { op: 'UNSUB', sid: '1', max: 3 },
      { op: 'PING' },
    ]);
  });

  it('refuses a payload over the maximum before reading it, and an unknown operation', () => {
    expect(() => new ProtocolParser(10).push(Buffer.from('PUB a 11\r\n'))).toThrow(new ProtocolError('Maximum Payload Violation'));
    expect(() => new ProtocolParser(10).push(Buffer.from('HELLO\r\n'))).toThrow(new ProtocolError('Unknown Protocol Operation'));
  });
});
