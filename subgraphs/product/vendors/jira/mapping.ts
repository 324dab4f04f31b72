import { bool, computed, date, MappingError, oneOf, text, timestamp, type MapContext, type TableMapping } from '../../../../sync/mapping.js';
import { siteHost } from './settings.js';
import { versionNumber } from '../version-number.js';

type FeatureStatus = 'backlog' | 'planned' | 'in_progress' | 'released' | 'archived';

/** Jira's default workflow statuses and the usual software-project ones; `config.statusMap` adds a site's own. */
const STATUS_BY_NAME: Record<string, FeatureStatus> = {
  'backlog': 'backlog', 'to do': 'backlog', 'open': 'backlog', 'new': 'backlog',
  'selected for development': 'planned', 'planned': 'planned', 'ready': 'planned',
  'in progress': 'in_progress', 'in review': 'in_progress', 'in development': 'in_progress',
  'done': 'released', 'released': 'released', 'closed': 'released', 'resolved': 'released',
  "won't do": 'archived', "won't fix": 'archived', 'cancelled': 'archived', 'canceled': 'archived', 'archived': 'archived',
};
/** An unknown status falls back to its category, which every Jira status has. */
const STATUS_BY_CATEGORY: Record<string, FeatureStatus> = { new: 'backlog', indeterminate: 'in_progress', done: 'released' };
const STATUSES = new Set<string>(['backlog', 'planned', 'in_progress', 'released', 'archived']);

function featureStatus(issue: { fields?: { status?: { name?: unknown; statusCategory?: { key?: unknown } } } }, ctx: MapContext): FeatureStatus {
  const status = issue.fields?.status;
  if (!status || typeof status.name !== 'string') throw new MappingError('fields.status.name', 'missing');
  const own = ctx.config.statusMap as Record<string, string> | undefined;
  const configured = own && Object.entries(own).find(([name]) => name.toLowerCase() === (status.name as string).toLowerCase())?.[1];
  if (configured && STATUSES.has(configured)) return configured as FeatureStatus;
  const byName = STATUS_BY_NAME[status.name.toLowerCase()];
  if (byName) return byName;
  const byCategory = STATUS_BY_CATEGORY[String(status.statusCategory?.key)];
  if (byCategory) return byCategory;
  throw new MappingError('fields.status', `"${status.name}" (category "${String(status.statusCategory?.key)}") is not a known status; name it in config.statusMap`);
}

/** Plain text of an Atlassian Document Format document: its text nodes, a line per block. */
export function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const { type, text, content } = node as { type?: string; text?: unknown; content?: unknown };
  if (type === 'text') return typeof text === 'string' ? text : '';
  if (type === 'hardBreak') return '\n';
  const inner = Array.isArray(content) ? content.map(adfText) : [];
  const blocks = new Set(['doc', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'table', 'tableRow']);
  return type && blocks.has(type) ? inner.filter(Boolean).join('\n') : inner.join('');
}

const description = computed((issue: { fields?: { description?: unknown } }) => {
  const value = issue.fields?.description;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') throw new MappingError('fields.description', 'expected an Atlassian Document Format document');
  return adfText(value).trim() || null;
});

/** The team: the first label, or the first label among `config.teams` when the site names its teams. */
const team = computed((issue: { fields?: { labels?: unknown } }, ctx: MapContext) => {
  const labels = issue.fields?.labels;
  if (labels === undefined || labels === null) return null;
  if (!Array.isArray(labels)) throw new MappingError('fields.labels', 'expected a list');
  const teams = Array.isArray(ctx.config.teams) ? new Set(ctx.config.teams as string[]) : null;
  return (labels.find((l) => typeof l === 'string' && (!teams || teams.has(l))) as string | undefined) ?? null;
});

const link = (ctx: MapContext, path: string) => {
  const host = siteHost(ctx.config);
  return host ? `https://${host}${path}` : null;
};

/** Project versions -> product.releases. Jira gives a version's release day only: `released_at` stays unset. */
export const versionMapping: TableMapping = {
  table: 'product.releases',
  entity: 'Release',
  externalId: text('id') as TableMapping['externalId'],
  url: computed((v: { id: string }, ctx) => link(ctx, `/projects/${typeof ctx.config.projectKey === 'string' ? ctx.config.projectKey : 'PG'}/versions/${v.id}`)),
  columns: {
    name: text('name'),
    version: computed((v: { name?: unknown }) => versionNumber(v.name)),
    description: text('description', { optional: true }),
    released: bool('released', { default: false }),
    release_date: date('releaseDate', { optional: true }),
  },
};

const resolvedAt = timestamp('fields.resolutiondate', { optional: true });

/** Epics -> product.features. */
export const issueMapping: TableMapping = {
  table: 'product.features',
  entity: 'Feature',
  externalId: text('id') as TableMapping['externalId'],
  url: computed((issue: { key?: unknown }, ctx) => (typeof issue.key === 'string' ? link(ctx, `/browse/${issue.key}`) : null)),
  updatedAt: timestamp('fields.updated'),
  createdAt: timestamp('fields.created', { optional: true }),
  columns: {
    key: text('key'),
    name: text('fields.summary'),
    description,
    status: computed(featureStatus),
    // Seed 002's rule: an unknown or missing priority is medium. Both of Jira's stock schemes are named.
    priority: oneOf('fields.priority.name', {
      Highest: 'critical', Blocker: 'critical', Critical: 'critical', High: 'high', Major: 'high',
      Medium: 'medium', Low: 'low', Minor: 'low', Lowest: 'low', Trivial: 'low',
    }, { default: 'medium', caseInsensitive: true }),
    team,
    // When it shipped: the resolution time of an epic that is released (a "Won't Do" is resolved too, but never shipped).
    released_at: computed((issue: Parameters<typeof featureStatus>[0], ctx) => {
      let status: FeatureStatus;
      try {
        status = featureStatus(issue, ctx);
      } catch {
        return null; // the status column reports it
      }
      return status === 'released' ? resolvedAt.read(issue, ctx) : null;
    }),
  },
  refs: { release_id: { from: text('fields.fixVersions.0.id', { optional: true }), table: 'product.releases' } },
};
