import { readJqlDate } from './time-zone.js';

/** The subset of JQL the simulator answers: clauses joined by AND, then ORDER BY. */

export type JqlField = 'project' | 'issuetype' | 'updated' | 'created' | 'key';
type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=';

export interface JqlQuery {
  where: { field: JqlField; op: Operator; value: string | number }[];
  orderBy: { field: JqlField; direction: 'ASC' | 'DESC' }[];
}

/** A query Jira would refuse, with the message it would give. */
export class JqlError extends Error {}

const FIELDS: Record<string, JqlField> = { project: 'project', issuetype: 'issuetype', type: 'issuetype', updated: 'updated', updateddate: 'updated', created: 'created', createddate: 'created', key: 'key', issuekey: 'key' };
const DATE_FIELDS = new Set<JqlField>(['updated', 'created']);

function tokenize(jql: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(>=|<=|!=|=|>|<|,|\(|\))|([^\s"'=!<>,()]+))/y;
  let position = 0;
  for (;;) {
    pattern.lastIndex = position;
    const match = pattern.exec(jql);
    if (!match) break;
    position = pattern.lastIndex;
    if (match[1] !== undefined || match[2] !== undefined) tokens.push(`"${(match[1] ?? match[2]).replace(/\\(.)/g, '$1')}`);
    else tokens.push(match[3] ?? match[4]);
  }
  const rest = jql.slice(position).trim();
  if (rest) throw new JqlError(`Error in the JQL Query: The character '${rest[0]}' is a reserved JQL character.`);
  return tokens;
}

const unquote = (token: string) => (token.startsWith('"') ? token.slice(1) : token);

function field(token: string | undefined): JqlField {
  const found = token ? FIELDS[unquote(token).toLowerCase()] : undefined;
  if (!found) throw new JqlError(`Field '${token ? unquote(token) : ''}' does not exist or you do not have permission to view it.`);
  return found;
}

export function parseJql(jql: string, timeZone: string): JqlQuery {
  const tokens = tokenize(jql);
  const query: JqlQuery = { where: [], orderBy: [] };
  let i = 0;
  const upper = () => tokens[i]?.toUpperCase();
  while (i < tokens.length && upper() !== 'ORDER') {
    const f = field(tokens[i++]);
    const op = tokens[i++] as Operator;
    if (!['=', '!=', '>', '>=', '<', '<='].includes(op)) throw new JqlError(`Error in the JQL Query: Expecting operator but got '${op ?? ''}'.`);
    const raw = tokens[i++];
    if (raw === undefined) throw new JqlError('Error in the JQL Query: Expecting either a value, list or function but got end of query.');
    let value: string | number = unquote(raw);
    if (DATE_FIELDS.has(f)) {
      const at = readJqlDate(value, timeZone);
      if (at === null) throw new JqlError(`Date value '${value}' for field '${f}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
      value = at;
    }
    query.where.push({ field: f, op, value });
    if (i < tokens.length && upper() !== 'ORDER') {
      if (upper() !== 'AND') throw new JqlError(`Error in the JQL Query: Expecting 'AND' but got '${unquote(tokens[i])}'. (The simulator answers AND only.)`);
      i++;
    }
  }
  if (upper() === 'ORDER') {
    if (tokens[++i]?.toUpperCase() !== 'BY') throw new JqlError("Error in the JQL Query: Expecting 'BY' after 'ORDER'.");
    for (i++; i < tokens.length; i++) {
      const f = field(tokens[i]);
      const direction = tokens[i + 1]?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
      if (['ASC', 'DESC'].includes(tokens[i + 1]?.toUpperCase() ?? '')) i++;
      query.orderBy.push({ field: f, direction });
      if (tokens[i + 1] === ',') i++;
    }
  }
  return query;
}

export function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'en', { numeric: true });
}

export function matches(query: JqlQuery, value: (field: JqlField) => string | number): boolean {
  return query.where.every(({ field: f, op, value: wanted }) => {
    const actual = value(f);
    const c = typeof wanted === 'string' && typeof actual === 'string' ? actual.toLowerCase().localeCompare(wanted.toLowerCase()) : compare(actual, wanted);
    return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0;
  });
}
