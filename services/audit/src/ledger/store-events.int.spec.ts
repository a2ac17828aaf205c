import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { createTestSchema, newEvent, type TestSchema } from '@arrears/testing';
import { canonicalJson } from './canonical-json';
import { canonicalFromJsonbText } from './jsonb-text';
import { EnvelopeEvent, StoredTextEvent, type StoreEvent } from './store-events';

/**
 * The store's events written as the ledger's text from PostgreSQL's jsonb text (`StoredTextEvent`, what verification
 * does) must be exactly what parsing them gives (`EnvelopeEvent` over `readAll`): the same text and columns, or the
 * same error — for ordinary events and for everything PostgreSQL may write or an owner may have put in the table.
 */
describe('the store\'s events as the ledger must hold them, from the jsonb text', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(async () => {
    schema = await createTestSchema('audit_store_text');
    store = new PostgresEventStore({ pool: schema.pool, schema: schema.name });
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    await schema.drop();
  });

  const outcome = (compute: () => string) => {
    try {
      return { value: compute() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const recorded = (event: StoreEvent) => ({ text: outcome(() => event.ledgerText()), columns: outcome(() => event.columnsKey()) });

  /** Every event of the store both ways, side by side. */
  async function bothWays() {
    const [parsed, text] = [await store.readAll(), await store.readAllText()];
    expect(text.map((row) => row.globalPosition)).toEqual(parsed.map((event) => event.globalPosition));
    return parsed.map((event, index) => ({ parsed: recorded(new EnvelopeEvent(event)), fromText: recorded(new StoredTextEvent(text[index] as (typeof text)[number])), row: text[index] }));
  }

  it('writes ordinary events and awkward data exactly as parsing them does', async () => {
    const caseId = randomUUID();
    const awkward: Record<string, unknown> = {
      caseId: randomUUID().toUpperCase(),
      amounts: [1, -5, 0, 1.5, 0.1, 1e21, 123456789012345678, 2 ** 53 + 1, 1.7976931348623157e308, 5e-324],
      text: 'quote " backslash \\ newline \n tab \t bell \u0007 del \u007f line sep \u2028 é 😀',
      keys: { 'a b': 1, a: 2, 'a!': 3, ab: 4, '10': 5, '9': 6, '😀': 7, '\ue000': 8, '': 9, ['__proto__']: 10, 'quo"te': 11 },
      nested: { list: [[], {}, [{ z: null, y: true, x: false }]] },
    };
    const events: NewEvent[] = [newEvent('PaymentPosted', { minor: 100, note: 'plain' }, caseId), newEvent('Awkward', awkward, caseId), newEvent('Empty', {}, caseId)];
    events.push({ ...newEvent('Traced', { a: 1 }, caseId), metadata: { ...newEvent().metadata, caseId, trace: { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` } } });
    await store.appendToStream(`account-${caseId}`, events, { expectedVersion: 'any' });

    const compared = await bothWays();
    expect(compared).toHaveLength(4);
    for (const { parsed, fromText } of compared) expect(fromText).toEqual(parsed);
    // The ordinary ones took the fast way: their jsonb text converts without the parser.
    expect(compared.filter(({ row }) => canonicalFromJsonbText(row?.data ?? '') !== undefined)).toHaveLength(3);
  });

  it('agrees with parsing for rows an owner put in the table, whatever they hold, errors included', async () => {
    const insert = (data: string, metadata: string, streamId = `account-${randomUUID()}`) =>
      schema.pool.query(
        `insert into "${schema.name}".events (event_id, stream_id, stream_position, category, event_type, schema_version, occurred_at, data, metadata)
         values ($1, $2, 0, 'account', 'Forged', 1, now(), $3::jsonb, $4::jsonb)`,
        [randomUUID(), streamId, data, metadata],
      );
    const metadata = (extra: Record<string, unknown>) => JSON.stringify({ ...newEvent().metadata, ...extra });
    await insert('{"n": 1.0, "big": 1e400, "x": 1}', metadata({}));
    await insert('{"n": 12345678901234567890123}', metadata({}));
    await insert('{"a": 1}', metadata({ actorId: 42, caseId: null }));
    await insert('{"a": 1}', metadata({ actorRole: null, caseId: 7 }));
    await insert('{"a": 1}', metadata({ trace: null, 'key\\with escape': 1 }));
    await insert('null', metadata({}));
    await insert('[{"caseId": "x"}]', '"metadata that is a string"');
    await insert('{"caseId": "6F1C2B9E-5D4A-4C3B-9A8F-0123456789AB"}', '{}', `case-${randomUUID()}`);

    const compared = await bothWays();
    for (const { parsed, fromText } of compared) expect(fromText).toEqual(parsed);
    expect(compared.some(({ parsed }) => 'error' in parsed.text)).toBe(true);
  });

  it('converts jsonb text as PostgreSQL writes it: numbers in numeric\'s forms, strings, key order', async () => {
    const inputs = [
      '{"b": 1.0, "a": 1.50, "c": 100000000000000000000000, "d": 0.000000015, "e": -0, "f": 1e2, "g": -12.5e-3}',
      '{"é": 1, "z": 2, "A": 3, "😀": 4, "\ue000": 5, "ab": 6, "a b": 7, "a": 8, "10": 9, "9": 10}',
      '{"s": "\\u0001 \\u001f \\" \\\\ / \\n \\r \\t \\b \\f \\u2028"}',
      '[{"y": [], "x": {}}, 1, "two", null, true, false]',
      '{"deep": {"b": {"d": [1, {"f": 2, "e": 3}], "c": 4}, "a": 5}}',
    ];
    for (const input of inputs) {
      const { rows } = await schema.pool.query<{ text: string }>('select $1::jsonb::text as text', [input]);
      const text = (rows[0] as { text: string }).text;
      expect(canonicalFromJsonbText(text)).toBe(canonicalJson(JSON.parse(text)));
    }
  });
});
