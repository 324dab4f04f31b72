import type { StoredObject } from './records.js';

/** The CRM search API's filters and sorting over stored objects. */

export interface SearchFilter { propertyName: string; operator: string; value?: string | number; values?: (string | number)[] }
export interface SearchRequest {
  filterGroups?: { filters?: SearchFilter[] }[];
  sorts?: ({ propertyName: string; direction?: 'ASCENDING' | 'DESCENDING' } | string)[];
  properties?: string[];
  limit?: number;
  after?: string | number;
}

export class SearchError extends Error {}

const DATE_TIME = new Set(['createdate', 'hs_lastmodifieddate', 'closedate']);
const NUMERIC = new Set(['hs_object_id', 'amount', 'numberofemployees']);

/** A property as a comparable value: dateTimes (ISO or epoch milliseconds) as milliseconds, numbers as numbers. */
function comparable(property: string, value: string | number | null | undefined): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  if (DATE_TIME.has(property)) {
    const ms = typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  if (NUMERIC.has(property)) return Number(value);
  return String(value).toLowerCase();
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function passes(object: StoredObject, filter: SearchFilter): boolean {
  const value = comparable(filter.propertyName, object.properties[filter.propertyName]);
  if (filter.operator === 'HAS_PROPERTY') return value !== null;
  if (filter.operator === 'NOT_HAS_PROPERTY') return value === null;
  const wanted = comparable(filter.propertyName, filter.value);
  if (wanted === null) throw new SearchError(`filter on ${filter.propertyName} needs a value`);
  if (value === null) return filter.operator === 'NEQ';
  const c = compare(value, wanted);
  switch (filter.operator) {
    case 'EQ': return c === 0;
    case 'NEQ': return c !== 0;
    case 'LT': return c < 0;
    case 'LTE': return c <= 0;
    case 'GT': return c > 0;
    case 'GTE': return c >= 0;
    default: throw new SearchError(`operator ${filter.operator} is not supported`);
  }
}

/** Filter groups are ORed, the filters of a group ANDed; one sort at most, then by id. */
export function search(objects: StoredObject[], request: SearchRequest): StoredObject[] {
  const groups = request.filterGroups ?? [];
  if (groups.length > 5) throw new SearchError('at most 5 filterGroups');
  if ((request.sorts ?? []).length > 1) throw new SearchError('only one sort is supported');
  const found = objects.filter((o) => !o.archived && (!groups.length || groups.some((g) => (g.filters ?? []).every((f) => passes(o, f)))));
  const sort = request.sorts?.[0];
  const property = typeof sort === 'string' ? sort : sort?.propertyName;
  const descending = typeof sort === 'object' && sort.direction === 'DESCENDING';
  const byId = (a: StoredObject, b: StoredObject) => Number(a.id) - Number(b.id);
  return found.sort((a, b) => {
    if (property) {
      const [x, y] = [comparable(property, a.properties[property]), comparable(property, b.properties[property])];
      const c = x === null ? (y === null ? 0 : -1) : y === null ? 1 : compare(x, y);
      if (c !== 0) return descending ? -c : c;
    }
    return byId(a, b);
  });
}
