/**
 * Canonical JSON written straight from the text PostgreSQL writes for a jsonb value, without parsing it into objects.
 *
 * Verification compares every event of the store with the ledger's canonical text. Parsing the store's jsonb text and
 * writing the objects back as canonical JSON cost more than anything else it does per event, and the jsonb text is
 * most of the way there already: `jsonb_out` writes `": "` after each key and `", "` between members and elements,
 * each key once, in order of length and then bytes, and escapes strings exactly as `JSON.stringify` does (`\"`, `\\`,
 * `\b \f \n \r \t`, `\u00xx` in lower case for the other control characters, everything else as it is). So the
 * canonical text is the same tokens without the spaces, each object's keys sorted by UTF-16 code units, and numbers
 * written back through `Number` unless they are plain integers that `Number` writes the same.
 *
 * For text that `jsonb_out` wrote, the result is exactly `canonicalJson(JSON.parse(text))`, or `undefined` where the
 * fast way cannot be sure — a key with an escape (it sorts by what it stands for), a number beyond a double — and the
 * caller parses instead. jsonb-text.unit.spec.ts checks this against a model of `jsonb_out`, store-events.int.spec.ts
 * against PostgreSQL. It is given nothing else (`PostgresEventStore.readAllText`); other text may also give undefined.
 */

/** Thrown inside to give up; never escapes this module. */
const GIVE_UP = new Error('not jsonb_out text');

// One text at a time, read left to right (the functions below share these rather than passing them around).
let source = '';
let at = 0;
let depth = 0;
/** Whether the text holds a backslash at all: if not, a string ends at the next quote. */
let anyEscape = false;
/** Whether the last string read held an escape. */
let escaped = false;
/** The top-level object's members as read: keys as their literals (quoted), values as canonical text. */
const topKeys: string[] = [];
const topValues: string[] = [];

/**
 * The canonical JSON of a jsonb value from its text, or `undefined` when the caller must parse it. With `omit`, the
 * top-level object's member of that name is left out (the ledger leaves out `metadata.trace`).
 */
export function canonicalFromJsonbText(text: string, omit?: string): string | undefined {
  source = text;
  at = 0;
  depth = 0;
  anyEscape = text.includes('\\');
  topKeys.length = 0;
  topValues.length = 0;
  try {
    const canonical = value(omit === undefined ? undefined : JSON.stringify(omit));
    return at === text.length ? canonical : undefined;
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  } finally {
    source = '';
  }
}

/**
 * A member of the top-level object of the text last given to `canonicalFromJsonbText`, as canonical text; undefined
 * when there is no such member (or the value is not an object).
 */
export function topLevelMember(key: string): string | undefined {
  const index = topKeys.indexOf(`"${key}"`);
  return index < 0 ? undefined : topValues[index];
}

/** `topLevelMember` when it is a string: its value, unescaped; undefined when absent or not a string. */
export function topLevelString(key: string): string | undefined {
  const text = topLevelMember(key);
  if (text === undefined || text.charCodeAt(0) !== QUOTE) return undefined;
  return text.includes('\\') ? (JSON.parse(text) as string) : text.slice(1, -1);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** A JSON number (RFC 8259), for the ones that are not plain integers. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The value at `at`, as canonical text; `omit` is passed to the object it is, if it is one. */
function value(omit?: string): string {
  const c = source.charCodeAt(at);
  if (c === QUOTE) return string();
  if (c === OPEN_OBJECT) return object(omit);
  if (c === OPEN_ARRAY) return array();
  if (c === 0x74) return word('true');
  if (c === 0x66) return word('false');
  if (c === 0x6e) return word('null');
  return number();
}

function word(expected: string): string {
  if (!source.startsWith(expected, at)) throw GIVE_UP;
  at += expected.length;
  return expected;
}

/** A string literal, quotes included, as it stands (jsonb_out escapes as JSON.stringify does); sets `escaped`. */
function string(): string {
  const start = at;
  escaped = false;
  if (!anyEscape) {
    const end = source.indexOf('"', at + 1);
    if (end < 0) throw GIVE_UP;
    at = end + 1;
    return source.slice(start, at);
  }
  at += 1;
  for (;;) {
    const c = source.charCodeAt(at);
    if (c === QUOTE) break;
    if (Number.isNaN(c)) throw GIVE_UP;
    if (c === BACKSLASH) {
      escaped = true;
      at += 2;
    } else {
      at += 1;
    }
  }
  at += 1;
  return source.slice(start, at);
}

function number(): string {
  const start = at;
  if (source.charCodeAt(at) === MINUS) at += 1;
  const first = source.charCodeAt(at);
  let digits = 0;
  let plainInteger = true;
  for (;;) {
    const c = source.charCodeAt(at);
    if (c >= ZERO && c <= NINE) digits += 1;
    else if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS) plainInteger = false;
    else break;
    at += 1;
  }
  const literal = source.slice(start, at);
  // At most 15 digits without a leading zero: a double exactly, which Number writes back the same ("-0" it writes "0").
  if (plainInteger && digits > 0 && digits <= 15 && (first !== ZERO || digits === 1) && literal !== '-0') return literal;
  if (!JSON_NUMBER.test(literal)) throw GIVE_UP;
  const parsed = Number(literal);
  // canonicalJson refuses what is not a finite double (1e400 parses as Infinity): the parser's way says so.
  if (!Number.isFinite(parsed)) throw GIVE_UP;
  return JSON.stringify(parsed);
}

function separator(): void {
  if (source.charCodeAt(at) !== COMMA || source.charCodeAt(at + 1) !== SPACE) throw GIVE_UP;
  at += 2;
}

function array(): string {
  at += 1;
  if (source.charCodeAt(at) === CLOSE_ARRAY) {
    at += 1;
    return '[]';
  }
  depth += 1;
  let text = '[';
  for (;;) {
    text += value();
    if (source.charCodeAt(at) === CLOSE_ARRAY) break;
    separator();
    text += ',';
  }
  at += 1;
  depth -= 1;
  return text + ']';
}

/** An object, its members sorted; `omit` (a key literal) is left out if this is the top-level object. */
function object(omit?: string): string {
  at += 1;
  if (source.charCodeAt(at) === CLOSE_OBJECT) {
    at += 1;
    return '{}';
  }
  const top = depth === 0;
  depth += 1;
  // Key literal and value of each member, two entries each.
  const members: string[] = [];
  let inOrder = true;
  for (;;) {
    if (source.charCodeAt(at) !== QUOTE) throw GIVE_UP;
    const key = string();
    if (escaped) throw GIVE_UP;
    if (source.charCodeAt(at) !== COLON || source.charCodeAt(at + 1) !== SPACE) throw GIVE_UP;
    at += 2;
    const member = value();
    if (top) {
      topKeys.push(key);
      topValues.push(member);
    }
    if (!top || key !== omit) {
      if (members.length > 0 && keyAfter(members[members.length - 2] as string, key)) inOrder = false;
      members.push(key, member);
    }
    if (source.charCodeAt(at) === CLOSE_OBJECT) break;
    separator();
  }
  at += 1;
  depth -= 1;
  if (!inOrder) sortMembers(members);
  let text = '{';
  for (let index = 0; index < members.length; index += 2) {
    if (index > 0) text += ',';
    text += members[index] as string;
    text += ':';
    text += members[index + 1] as string;
  }
  return text + '}';
}

/**
 * Whether key literal `a` sorts after `b` (both quoted, without escapes): by the UTF-16 code units of the keys, a key
 * before every longer key that starts with it. (Comparing the literals themselves would put `"a"` after `"a b"`.)
 */
function keyAfter(a: string, b: string): boolean {
  const endA = a.length - 1;
  const endB = b.length - 1;
  for (let index = 1; ; index += 1) {
    if (index === endA) return false;
    if (index === endB) return true;
    const codeA = a.charCodeAt(index);
    const codeB = b.charCodeAt(index);
    if (codeA !== codeB) return codeA > codeB;
  }
}

/** Sorts the members (key literal and value, two entries each) by key; insertion sort, as objects are small. */
function sortMembers(members: string[]): void {
  for (let index = 2; index < members.length; index += 2) {
    const key = members[index] as string;
    const member = members[index + 1] as string;
    let into = index - 2;
    while (into >= 0 && keyAfter(members[into] as string, key)) {
      members[into + 2] = members[into] as string;
      members[into + 3] = members[into + 1] as string;
      into -= 2;
    }
    members[into + 2] = key;
    members[into + 3] = member;
  }
}
