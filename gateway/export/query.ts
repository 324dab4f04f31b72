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

/** As of when the data of a report's domains is synced: the graph's own definition, shared by every report's asOf. */
export const SYNCED_AS_OF = 'query ExportFreshness($domains: [IntegrationDomain!]!) { syncedAsOf(domains: $domains) }';
