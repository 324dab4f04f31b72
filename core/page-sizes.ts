import { config, type Config } from './config.js';

/**
 * The root connections BI tools walk whole (flat rows of one table each): a page of these may
 * hold up to MAX_BULK_PAGE_SIZE rows; every other connection (the nested ones, a page per parent)
 * up to MAX_PAGE_SIZE. Shared by the subgraphs, which refuse a larger `first`, and the gateway,
 * whose query cost counts each connection's page at its own maximum.
 */
export const BULK_CONNECTIONS = [
  'Query.budgets',
  'Query.companies',
  'Query.costEntries',
  'Query.deals',
  'Query.deployments',
  'Query.endUsers',
  'Query.experiments',
  'Query.features',
  'Query.feedback',
  'Query.invoices',
  'Query.pullRequests',
  'Query.releases',
  'Query.repositories',
  'Query.subscriptions',
  'Query.usageEvents',
] as const;

export type BulkConnection = (typeof BULK_CONNECTIONS)[number];

const bulk: ReadonlySet<string> = new Set(BULK_CONNECTIONS);

/** The largest `first` the connection at `coordinate` ("Type.field") accepts. */
export function maxPageSize(coordinate: string, cfg: Config = config()): number {
  const { MAX_PAGE_SIZE, MAX_BULK_PAGE_SIZE } = cfg;
  return bulk.has(coordinate) ? MAX_BULK_PAGE_SIZE : MAX_PAGE_SIZE;
}
