import { MAX_FEATURE_COLUMNS, returnOnInvestment } from '../../core/feature-columns.js';

/** Runs one operation through the gateway (the export's own auth, scopes and limits) and returns its data. */
export type Execute = (query: string, variables: Record<string, unknown>) => Promise<Record<string, any>>;

/** A page of nodes; the first page also says `asOf` when the export asked for it with its domains. */
export interface NodePage { nodes: Record<string, unknown>[]; endCursor: string | null; asOf?: string | null }

const FEATURES_PAGE = 'page: featureColumns(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ids names releasedAt pageInfo { hasNextPage endCursor } }';
const FEATURES = `query ExportFeatureColumns($first: Int!, $after: String, $filter: FeatureFilter, $orderBy: FeatureOrder) { ${FEATURES_PAGE} }`;
/** The first page with the export's freshness (the graph's own `syncedAsOf`): one operation, its two subgraphs called at once. */
const FIRST_FEATURES = `query ExportFeatureColumnsAsOf($first: Int!, $after: String, $filter: FeatureFilter, $orderBy: FeatureOrder, $domains: [IntegrationDomain!]!) {
  ${FEATURES_PAGE} asOf: syncedAsOf(domains: $domains) }`;

/** The other domains' columns of a page of feature ids, each asked only when a selected column reads it. */
const PARTS = {
  adoption: { columns: ['activeUsers', 'productActiveUsers', 'adoptionRate', 'powerUsers'], selection: 'adoption: featureAdoptionColumns(featureIds: $ids, days: $days) { activeUsers productActiveUsers adoptionRate powerUsers }' },
  revenue: { columns: ['associatedRevenue', 'currency', 'roi'], selection: 'revenue: associatedRevenueColumns(featureIds: $ids) { amounts currencies }' },
  cost: { columns: ['cost', 'roi'], selection: 'cost: featureCostColumns(featureIds: $ids) { amounts }' },
} as const;

function measuresOperation(columns: readonly string[]): string | null {
  const parts = Object.values(PARTS).filter((p) => p.columns.some((c) => columns.includes(c)));
  if (!parts.length) return null;
  const days = parts.includes(PARTS.adoption) ? ', $days: Int!' : '';
  return `query ExportFeatureMeasures($ids: [ID!]!${days}) { ${parts.map((p) => p.selection).join(' ')} }`;
}

/**
 * The features-adoption report read as columns: a page of `featureColumns` (the `features` connection's page for
 * the same filter and order), then the adoption, associated revenue and cost columns of its ids in one operation
 * (one request per subgraph), merged into rows shaped as the row operation's `node`. No GraphQL execution per row.
 * With `asOfDomains`, the first page is asked with the export's freshness.
 */
export function featureAdoptionPages(execute: Execute, variables: Record<string, unknown>, columns: readonly string[], asOfDomains: string[] | null) {
  const measures = measuresOperation(columns);
  const { filter, orderBy, days } = variables;
  return async (after: string | null): Promise<NodePage> => {
    const withAsOf = asOfDomains !== null && after === null;
    const pageVariables = { first: MAX_FEATURE_COLUMNS, after, filter, orderBy };
    const { page, asOf } = await execute(withAsOf ? FIRST_FEATURES : FEATURES, withAsOf ? { ...pageVariables, domains: asOfDomains } : pageVariables);
    const ids = page.ids as string[];
    const m = measures && ids.length ? await execute(measures, { ids, ...(measures.includes('$days') ? { days } : {}) }) : {};
    const nodes = ids.map((id, i) => {
      const node: Record<string, unknown> = { id, name: page.names[i], releasedAt: page.releasedAt[i] };
      if (m.adoption) {
        node.adoption = { activeUsers: m.adoption.activeUsers[i], productActiveUsers: m.adoption.productActiveUsers, adoptionRate: m.adoption.adoptionRate[i], powerUsers: m.adoption.powerUsers[i] };
      }
      if (m.revenue) node.associatedRevenue = { amount: m.revenue.amounts[i], currency: m.revenue.currencies[i] };
      if (m.cost) node.cost = { amount: m.cost.amounts[i] };
      if (m.revenue && m.cost) node.roi = returnOnInvestment(m.revenue.amounts[i], m.cost.amounts[i]);
      return node;
    });
    return { nodes, endCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null, ...(withAsOf ? { asOf: asOf as string | null } : {}) };
  };
}
