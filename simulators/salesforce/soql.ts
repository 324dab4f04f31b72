/**
 * Just enough SOQL for a sync: `SELECT fields FROM Object [WHERE ...] [ORDER BY f [ASC|DESC], ...]
 * [LIMIT n]`, conditions of comparisons joined by AND, OR, NOT and parentheses, literals as
 * Salesforce writes them (quoted strings, numbers, true/false/null, unquoted dates and dateTimes).
 */

export class SoqlError extends Error {
  constructor(readonly code: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE', message: string) {
    super(message);
  }
}

type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'dateTime'; value: number }
  | { kind: 'date'; value: string } | { kind: 'boolean'; value: boolean } | { kind: 'null' };

export type Condition =
  | { op: 'and' | 'or'; left: Condition; right: Condition }
  | { op: 'not'; inner: Condition }
  | { op: 'compare'; field: string; comparator: '=' | '!=' | '<' | '<=' | '>' | '>='; literal: Literal };

export interface SoqlQuery {
  fields: string[];
  object: string;
  where: Condition | null;
  orderBy: { field: string; descending: boolean }[];
  limit: number | null;
}

const TOKEN = /\s*(?:(\(|\)|,)|(!=|<=|>=|=|<|>)|'((?:[^'\\]|\\.)*)'|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))|(\d{4}-\d{2}-\d{2})(?![\dT])|(-?\d+(?:\.\d+)?)(?![\w-])|([A-Za-z_][\w.]*))/y;

type Token = { type: 'punct' | 'op' | 'string' | 'dateTime' | 'date' | 'number' | 'word'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new SoqlError('MALFORMED_QUERY', `unexpected token at position ${at}: '${text.slice(at, at + 20).trim()}'`);
    const [, punct, op, str, dateTime, date, num, word] = m;
    if (punct) tokens.push({ type: 'punct', text: punct });
    else if (op) tokens.push({ type: 'op', text: op });
    else if (str !== undefined) tokens.push({ type: 'string', text: str.replace(/\\(.)/g, '$1') });
    else if (dateTime) tokens.push({ type: 'dateTime', text: dateTime });
    else if (date) tokens.push({ type: 'date', text: date });
    else if (num) tokens.push({ type: 'number', text: num });
    else tokens.push({ type: 'word', text: word });
  }
  return tokens;
}

export function parseSoql(text: string): SoqlQuery {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const isWord = (w: string) => peek()?.type === 'word' && peek().text.toUpperCase() === w;
  const expectWord = (w: string) => {
    if (!isWord(w)) throw new SoqlError('MALFORMED_QUERY', `expected ${w} at token ${i + 1}${peek() ? ` ('${peek().text}')` : ''}`);
    i++;
  };
  const field = () => {
    const t = tokens[i++];
    if (t?.type !== 'word') throw new SoqlError('MALFORMED_QUERY', `expected a field name at token ${i}`);
    return t.text;
  };

  expectWord('SELECT');
  const fields = [field()];
  while (peek()?.text === ',') { i++; fields.push(field()); }
  expectWord('FROM');
  const object = field();

  const literal = (): Literal => {
    const t = tokens[i++];
    if (!t) throw new SoqlError('MALFORMED_QUERY', 'expected a value');
    switch (t.type) {
      case 'string': return { kind: 'string', value: t.text };
      case 'number': return { kind: 'number', value: Number(t.text) };
      case 'dateTime': return { kind: 'dateTime', value: Date.parse(t.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) };
      case 'date': return { kind: 'date', value: t.text };
      case 'word': {
        const w = t.text.toLowerCase();
        if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
        if (w === 'null') return { kind: 'null' };
      }
    }
    throw new SoqlError('MALFORMED_QUERY', `unexpected '${t.text}' where a value belongs`);
  };
  const factor = (): Condition => {
    if (peek()?.text === '(') {
      i++;
      const inner = or();
      if (tokens[i++]?.text !== ')') throw new SoqlError('MALFORMED_QUERY', 'missing )');
      return inner;
    }
    if (isWord('NOT')) { i++; return { op: 'not', inner: factor() }; }
    const name = field();
    const op = tokens[i++];
    if (op?.type !== 'op') throw new SoqlError('MALFORMED_QUERY', `expected a comparison after ${name}`);
    return { op: 'compare', field: name, comparator: op.text as '=', literal: literal() };
  };
  const and = (): Condition => {
    let left = factor();
    while (isWord('AND')) { i++; left = { op: 'and', left, right: factor() }; }
    return left;
  };
  const or = (): Condition => {
    let left = and();
    while (isWord('OR')) { i++; left = { op: 'or', left, right: and() }; }
    return left;
  };

  let where: Condition | null = null;
  if (isWord('WHERE')) { i++; where = or(); }
  const orderBy: SoqlQuery['orderBy'] = [];
  if (isWord('ORDER')) {
    i++;
    expectWord('BY');
    do {
      if (peek()?.text === ',') i++;
      const name = field();
      let descending = false;
      if (isWord('ASC') || isWord('DESC')) descending = tokens[i++].text.toUpperCase() === 'DESC';
      orderBy.push({ field: name, descending });
    } while (peek()?.text === ',');
  }
  let limit: number | null = null;
  if (isWord('LIMIT')) {
    i++;
    const t = tokens[i++];
    if (t?.type !== 'number' || !Number.isInteger(Number(t.text)) || Number(t.text) < 0) throw new SoqlError('MALFORMED_QUERY', 'LIMIT takes a whole number');
    limit = Number(t.text);
  }
  if (i < tokens.length) throw new SoqlError('MALFORMED_QUERY', `unexpected '${tokens[i].text}' at token ${i + 1}`);
  return { fields, object, where, orderBy, limit };
}

/** The comparable value of a record's field: dateTimes as epoch milliseconds, the rest as stored. */
export type FieldReader = (record: Record<string, unknown>, field: string) => unknown;

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

export function matches(condition: Condition, record: Record<string, unknown>, read: FieldReader): boolean {
  switch (condition.op) {
    case 'and': return matches(condition.left, record, read) && matches(condition.right, record, read);
    case 'or': return matches(condition.left, record, read) || matches(condition.right, record, read);
    case 'not': return !matches(condition.inner, record, read);
    case 'compare': {
      const value = read(record, condition.field);
      const { literal, comparator } = condition;
      if (literal.kind === 'null') return comparator === '=' ? value == null : comparator === '!=' ? value != null : false;
      if (value == null) return comparator === '!=';
      if (literal.kind === 'dateTime' && typeof value !== 'number') throw new SoqlError('INVALID_TYPE', `${condition.field} is not a dateTime field`);
      const c = compareValues(value, literal.value);
      switch (comparator) {
        case '=': return c === 0;
        case '!=': return c !== 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        case '>=': return c >= 0;
      }
    }
  }
}

export function sortRecords<T extends Record<string, unknown>>(records: T[], orderBy: SoqlQuery['orderBy'], read: FieldReader): T[] {
  return [...records].sort((a, b) => {
    for (const { field, descending } of orderBy) {
      const c = compareValues(read(a, field), read(b, field));
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  });
}
