import { z } from 'zod';
import { MAX_WINDOW_DAYS } from '../../core/windows.js';
import type { Cell } from './csv.js';
import { featureAdoptionPages, type Execute, type NodePage } from './feature-columns.js';

/**
 * The datasets served flat at `/export/<name>.csv|.ndjson`. Each is one connection of the graph
 * walked page by page: its query parameters are the connection's own arguments (same names,
 * same meaning), its columns are fields of the connection's node.
 */
export interface ExportReport {
  name: string;
  /** The root connection field walked. */
  field: string;
  /** Query parameters, validated; the output is the GraphQL variables. */
  params: z.ZodType<Record<string, unknown>>;
  /** GraphQL type of each variable the field's arguments or the columns may use. */
  variableTypes: Record<string, string>;
  /** Arguments of the root field, each passed from the variable of the same name. */
  arguments: string[];
  columns: ExportColumn[];
  /**
   * The integration domains whose connections feed the rows: the `asOf` column is the oldest
   * `lastSuccessAt` among the tenant's connections of these domains.
   */
  asOfDomains?: (columns: readonly string[]) => string[];
  /**
   * Pages read as columns instead of the connection's rows: nodes shaped as the row operation's, in the same order.
   * When the columns are refused, the row operation is asked for one row, so a refusal names the report's fields.
   * Given `asOfDomains`, the first page carries `asOf` of those domains (asked with it, not after it).
   */
  columnar?: (execute: Execute, variables: Record<string, unknown>, columns: readonly string[], asOfDomains: string[] | null) => (after: string | null) => Promise<NodePage>;
}

export interface ExportColumn {
  name: string;
  /** What the column is, for the README and the reader of the file. */
  description: string;
  /** The selection under `node` it reads; '' for a column computed once per export (asOf). */
  selection: string;
  value(node: any, shared: { asOf: string | null }): Cell;
}

const column = (name: string, selection: string, value: (node: any) => Cell, description = ''): ExportColumn => ({
  name, selection, description, value: (node) => value(node),
});
/** A scalar field of the node, under the same name. */
const scalar = (name: string, description = ''): ExportColumn => column(name, name, (n) => n[name] ?? null, description);
const sourceColumns: ExportColumn[] = [
  column('vendor', 'source { vendor }', (n) => n.source.vendor, 'The vendor the record was synced from.'),
  column('externalId', 'source { externalId }', (n) => n.source.externalId, "The record's id in the vendor."),
  column('url', 'source { url }', (n) => n.source.url ?? null, 'A link to the record in the vendor.'),
  column('syncedAt', 'source { syncedAt }', (n) => n.source.syncedAt, 'When the record was last synced.'),
];

// Query parameters: strings in, GraphQL variables out; the graph validates the rest (ids, ranges) as it would a query.
const int = (min: number, max: number) => z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const dateTime = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time, e.g. 2025-01-31T00:00:00Z' });
const localDate = z.iso.date('expected a date, YYYY-MM-DD');
const text = z.string().min(1);
/** A comma-separated list of `values`, as GraphQL enum values. */
const enumList = <T extends string>(values: readonly [T, ...T[]]) =>
  z.string().transform((s) => s.split(',').map((v) => v.trim().toUpperCase())).pipe(z.array(z.enum(values)).min(1));
const idList = z.string().transform((s) => s.split(',').map((v) => v.trim())).pipe(z.array(z.string().min(1)).min(1).max(1000));
const direction = z.enum(['asc', 'desc', 'ASC', 'DESC']).transform((d) => d.toUpperCase());
/** Every export takes `columns`: a comma-separated subset of its columns, in the order wanted. */
const columnsParam = z.string().transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean)).pipe(z.array(z.string()).min(1));

const FEATURE_STATUS = ['BACKLOG', 'PLANNED', 'IN_PROGRESS', 'RELEASED', 'ARCHIVED'] as const;
const FEATURE_ORDER = ['NAME', 'RELEASED_AT', 'UPDATED_AT', 'CREATED_AT'] as const;
const DEAL_ORDER = ['CLOSE_DATE', 'AMOUNT', 'UPDATED_AT'] as const;

/** Removes absent filter fields; an empty filter is no filter. */
function compact(values: Record<string, unknown>): Record<string, unknown> | null {
  const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? kept : null;
}
const orderBy = (field: string | undefined, dir: string | undefined) => (field ? { field, direction: dir ?? 'ASC' } : null);

const featureFilterParams = {
  ids: idList.optional(),
  status: enumList(FEATURE_STATUS).optional(),
  team: text.optional(),
  search: text.optional(),
  releasedFrom: dateTime.optional(),
  releasedTo: dateTime.optional(),
  updatedFrom: dateTime.optional(),
  orderBy: z.string().transform((s) => s.toUpperCase()).pipe(z.enum(FEATURE_ORDER)).optional(),
  direction: direction.optional(),
  columns: columnsParam.optional(),
};

/**
 * Seed 000's feature adoption / ROI report: the features released in the last `days` (default 90)
 * with their adoption over the same window, associated revenue, cost and ROI; one row a feature.
 * Rows come in the `features` connection's order (name unless `orderBy`), not by revenue:
 * a BI tool sorts.
 */
const featuresAdoption: ExportReport = {
  name: 'features-adoption',
  field: 'features',
  params: z.strictObject({
    ...featureFilterParams,
    days: int(1, MAX_WINDOW_DAYS).default(90),
  }).transform(({ days, ids, status, team, search, releasedFrom, releasedTo, updatedFrom, orderBy: field, direction: dir, columns }) => ({
    days,
    filter: compact({ ids, status, team, search, releasedFrom, releasedTo, updatedFrom, releasedWithinDays: days }),
    orderBy: orderBy(field, dir),
    columns,
  })),
  variableTypes: { filter: 'FeatureFilter', orderBy: 'FeatureOrder', days: 'Int!' },
  arguments: ['filter', 'orderBy'],
  columns: [
    scalar('id'),
    scalar('name'),
    scalar('releasedAt', 'When the feature shipped to customers.'),
    column('activeUsers', 'adoption(days: $days) { activeUsers }', (n) => n.adoption.activeUsers, 'Feature.adoption(days).activeUsers.'),
    column('productActiveUsers', 'adoption(days: $days) { productActiveUsers }', (n) => n.adoption.productActiveUsers, 'Feature.adoption(days).productActiveUsers.'),
    column('adoptionRate', 'adoption(days: $days) { adoptionRate }', (n) => n.adoption.adoptionRate, '100 * activeUsers / productActiveUsers, in percent.'),
    column('powerUsers', 'adoption(days: $days) { powerUsers }', (n) => n.adoption.powerUsers, 'Users active with the feature on >= 3 distinct days of the window.'),
    column('associatedRevenue', 'associatedRevenue { amount }', (n) => n.associatedRevenue.amount, 'Feature.associatedRevenue.amount (exact decimal). Needs financial_data.read.'),
    column('cost', 'cost { amount }', (n) => n.cost?.amount ?? null, 'Feature.cost.amount (exact decimal); empty without recorded cost. Needs financial_data.read.'),
    column('roi', 'roi', (n) => n.roi ?? null, '(associatedRevenue - cost) / cost; empty without cost. Needs financial_data.read.'),
    column('currency', 'associatedRevenue { currency }', (n) => n.associatedRevenue.currency, 'ISO 4217 code of the money columns. Needs financial_data.read.'),
    {
      name: 'asOf',
      selection: '',
      description: "The oldest last successful sync of the tenant's connections feeding the selected columns; empty when one has never succeeded.",
      value: (_node, shared) => shared.asOf,
    },
  ],
  asOfDomains: (columns) => {
    const domains = new Set(['PRODUCT']);
    if (columns.some((c) => ['activeUsers', 'productActiveUsers', 'adoptionRate', 'powerUsers', 'associatedRevenue', 'roi', 'currency'].includes(c))) domains.add('ANALYTICS');
    if (columns.some((c) => ['associatedRevenue', 'roi', 'currency'].includes(c))) domains.add('SALES');
    if (columns.some((c) => ['cost', 'roi'].includes(c))) domains.add('FINANCE');
    return [...domains];
  },
  columnar: featureAdoptionPages,
};

const features: ExportReport = {
  name: 'features',
  field: 'features',
  params: z.strictObject({ ...featureFilterParams, releasedWithinDays: int(1, MAX_WINDOW_DAYS).optional() })
    .transform(({ ids, status, team, search, releasedFrom, releasedTo, releasedWithinDays, updatedFrom, orderBy: field, direction: dir, columns }) => ({
      filter: compact({ ids, status, team, search, releasedFrom, releasedTo, releasedWithinDays, updatedFrom }),
      orderBy: orderBy(field, dir),
      columns,
    })),
  variableTypes: { filter: 'FeatureFilter', orderBy: 'FeatureOrder' },
  arguments: ['filter', 'orderBy'],
  columns: [
    scalar('id'), scalar('key'), scalar('name'), scalar('status'), scalar('priority'), scalar('team'),
    scalar('releasedAt'), scalar('createdAt'), scalar('updatedAt'),
    column('releaseId', 'release { id }', (n) => n.release?.id ?? null, 'The release the feature shipped in.'),
    ...sourceColumns,
  ],
};

const endUsers: ExportReport = {
  name: 'end-users',
  field: 'endUsers',
  params: z.strictObject({ companyId: text.optional(), lastSeenFrom: dateTime.optional(), columns: columnsParam.optional() })
    .transform(({ companyId, lastSeenFrom, columns }) => ({ filter: compact({ companyId, lastSeenFrom }), columns })),
  variableTypes: { filter: 'EndUserFilter' },
  arguments: ['filter'],
  columns: [
    scalar('id'), scalar('email'), scalar('firstSeenAt'), scalar('lastSeenAt'),
    column('companyId', 'company { id }', (n) => n.company?.id ?? null, 'The customer the user belongs to.'),
    ...sourceColumns,
  ],
};

const deals: ExportReport = {
  name: 'deals',
  field: 'deals',
  params: z.strictObject({
    companyId: text.optional(),
    stage: text.optional(),
    isWon: bool.optional(),
    isClosed: bool.optional(),
    closeFrom: localDate.optional(),
    closeTo: localDate.optional(),
    orderBy: z.string().transform((s) => s.toUpperCase()).pipe(z.enum(DEAL_ORDER)).optional(),
    direction: direction.optional(),
    columns: columnsParam.optional(),
  }).transform(({ companyId, stage, isWon, isClosed, closeFrom, closeTo, orderBy: field, direction: dir, columns }) => ({
    filter: compact({ companyId, stage, isWon, isClosed, closeFrom, closeTo }),
    orderBy: orderBy(field, dir),
    columns,
  })),
  variableTypes: { filter: 'DealFilter', orderBy: 'DealOrder' },
  arguments: ['filter', 'orderBy'],
  columns: [
    scalar('id'), scalar('name'), scalar('stage'), scalar('closeDate'), scalar('isClosed'), scalar('isWon'),
    column('amount', 'amount { amount }', (n) => n.amount.amount, 'Exact decimal. Needs financial_data.read.'),
    column('currency', 'amount { currency }', (n) => n.amount.currency, 'ISO 4217 code of amount. Needs financial_data.read.'),
    column('companyId', 'company { id }', (n) => n.company.id),
    scalar('createdAt'), scalar('updatedAt'),
    ...sourceColumns,
  ],
};

const usageEvents: ExportReport = {
  name: 'usage-events',
  field: 'usageEvents',
  params: z.strictObject({ featureId: text.optional(), endUserId: text.optional(), from: dateTime.optional(), to: dateTime.optional(), columns: columnsParam.optional() })
    .transform(({ featureId, endUserId, from, to, columns }) => ({ filter: compact({ featureId, endUserId, from, to }), columns })),
  variableTypes: { filter: 'UsageEventFilter' },
  arguments: ['filter'],
  columns: [
    scalar('occurredAt'), scalar('insertId'), scalar('eventType'),
    column('endUserId', 'endUser { id }', (n) => n.endUser.id, 'Who did it.'),
    column('featureId', 'feature { id }', (n) => n.feature?.id ?? null, 'The feature used; empty for events of no feature.'),
    column('vendor', 'source { vendor }', (n) => n.source.vendor, 'The analytics tool the event was synced from.'),
    column('syncedAt', 'source { syncedAt }', (n) => n.source.syncedAt, 'When the event was synced.'),
  ],
};

export const EXPORT_REPORTS: ReadonlyMap<string, ExportReport> = new Map([featuresAdoption, features, endUsers, deals, usageEvents].map((r) => [r.name, r]));
