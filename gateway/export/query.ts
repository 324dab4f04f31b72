import type { ExportColumn, ExportReport } from './reports.js';

/**
 * The GraphQL operation for one page of `report` with `columns`: the report's connection at
 * `$first` / `$after`, selecting the columns' fields under `node`. Only the variables the
 * operation uses are declared.
 */
export function exportOperation(report: ExportReport, columns: readonly ExportColumn[]): string {
  const args = ['first: $first', 'after: $after', ...report.arguments.map((a) => `${a}: $${a}`)].join(', ');
  const selection = columns.map((c) => c.selection).filter(Boolean).join(' ') || '__typename';
  const body = `page: ${report.field}(${args}) { pageInfo { hasNextPage endCursor } edges { node { ${selection} } } }`;
  const declared = Object.entries({ first: 'Int!', after: 'String', ...report.variableTypes })
    .filter(([name]) => new RegExp(`\\$${name}\\b`).test(body))
    .map(([name, type]) => `$${name}: ${type}`);
  return `query Export${declared.length ? `(${declared.join(', ')})` : ''} { ${body} }`;
}

/** The tenant's connections and when each last synced, for a report's asOf. */
export const CONNECTIONS_FRESHNESS = 'query ExportFreshness { connections { domain lastSuccessAt } }';

/**
 * The oldest `lastSuccessAt` of the connections of `domains`: the time every input of the rows
 * was synced by. Null when none of the tenant's connections feeds them or one of those never succeeded.
 */
export function oldestSuccess(connections: { domain: string; lastSuccessAt: string | null }[], domains: readonly string[]): string | null {
  const feeding = connections.filter((c) => domains.includes(c.domain));
  if (!feeding.length || feeding.some((c) => c.lastSuccessAt === null)) return null;
  return feeding.map((c) => c.lastSuccessAt!).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}
