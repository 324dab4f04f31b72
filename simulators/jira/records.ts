import type { World } from '../shared/world.js';
import { jiraDateTime } from './time-zone.js';

/** Jira's issues and versions as the simulator keeps them, rendered into REST API v3 JSON on each request. */

export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface IssueState {
  id: string;
  key: string;
  summary: unknown;
  description: string | null;
  status: { name: string; category: StatusCategory };
  /** The priority's name; null when the issue has none. */
  priority: string | null;
  labels: string[];
  fixVersionIds: string[];
  created: number;
  updated: number;
  resolved: number | null;
}

export interface VersionState {
  id: string;
  name: string;
  description: string | null;
  archived: boolean;
  released: boolean;
  releaseDate: string | null;
}

export interface RenderContext {
  /** The REST API base of the site, for `self` links. */
  api: string;
  projectKey: string;
  timeZone: string;
  versions: Map<string, VersionState>;
  /** Field names the request asked for; 'all' for `*all` / `*navigable`. */
  fields: Set<string> | 'all';
  malformed: boolean;
  unknownFields: boolean;
}

const STATUS_IDS: Record<string, string> = { 'Backlog': '10000', 'Selected for Development': '10001', 'In Progress': '3', 'Done': '10002', "Won't Do": '10003' };
const CATEGORY: Record<StatusCategory, { id: number; colorName: string; name: string }> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
};
const PRIORITY_IDS: Record<string, string> = { Highest: '1', High: '2', Medium: '3', Low: '4', Lowest: '5' };
export const PROJECT_ID = '10000';

export function issuesOf(world: World): IssueState[] {
  const versionIds = new Map(world.rows('product.releases').filter((r) => r.vendor === 'jira').map((r) => [r.id as string, r.external_id as string]));
  return world.rows('product.features').filter((r) => r.vendor === 'jira').map((row) => {
    const fields = row.raw.fields;
    return {
      id: row.external_id, key: row.key, summary: row.name, description: row.description,
      status: { name: fields.status.name, category: fields.status.statusCategory.key },
      priority: fields.priority?.name ?? null, labels: [...fields.labels],
      fixVersionIds: row.release_id && versionIds.has(row.release_id) ? [versionIds.get(row.release_id)!] : [],
      created: (row.created_at as Date).getTime(), updated: (row.vendor_updated_at as Date).getTime(),
      resolved: row.released_at ? (row.released_at as Date).getTime() : null,
    };
  });
}

export function versionsOf(world: World): VersionState[] {
  return world.rows('product.releases').filter((r) => r.vendor === 'jira').map((row) => ({
    id: row.external_id, name: row.name, description: row.description, archived: false, released: row.released, releaseDate: row.release_date ?? null,
  }));
}

export function renderVersion(v: VersionState, api: string, today: string): Record<string, unknown> {
  return {
    self: `${api}/version/${v.id}`, id: v.id, ...(v.description !== null ? { description: v.description } : {}), name: v.name,
    archived: v.archived, released: v.released, ...(v.releaseDate ? { releaseDate: v.releaseDate } : {}),
    overdue: !v.released && !!v.releaseDate && v.releaseDate < today, projectId: Number(PROJECT_ID),
  };
}

function adf(text: string | null) {
  return text === null ? null : { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

export function renderIssue(issue: IssueState, ctx: RenderContext): Record<string, unknown> {
  const at = (ms: number | null) => (ms === null ? null : jiraDateTime(ms, ctx.timeZone));
  const all: Record<string, unknown> = {
    summary: ctx.malformed ? { text: issue.summary } : issue.summary,
    description: adf(issue.description),
    issuetype: { self: `${ctx.api}/issuetype/10000`, id: '10000', name: 'Epic', subtask: false, hierarchyLevel: 1 },
    project: { self: `${ctx.api}/project/${PROJECT_ID}`, id: PROJECT_ID, key: ctx.projectKey, projectTypeKey: 'software' },
    priority: issue.priority === null ? null : { self: `${ctx.api}/priority/${PRIORITY_IDS[issue.priority] ?? '10100'}`, id: PRIORITY_IDS[issue.priority] ?? '10100', name: issue.priority },
    labels: issue.labels,
    fixVersions: issue.fixVersionIds.map((id) => ctx.versions.get(id)).filter((v) => !!v).map((v) => ({
      self: `${ctx.api}/version/${v!.id}`, id: v!.id, name: v!.name, archived: v!.archived, released: v!.released, ...(v!.releaseDate ? { releaseDate: v!.releaseDate } : {}),
    })),
    status: {
      self: `${ctx.api}/status/${STATUS_IDS[issue.status.name] ?? '10100'}`, id: STATUS_IDS[issue.status.name] ?? '10100', name: issue.status.name,
      statusCategory: { self: `${ctx.api}/statuscategory/${CATEGORY[issue.status.category].id}`, key: issue.status.category, ...CATEGORY[issue.status.category] },
    },
    created: at(issue.created), updated: at(issue.updated), resolutiondate: at(issue.resolved),
  };
  const fields = ctx.fields === 'all' ? all : Object.fromEntries(Object.entries(all).filter(([name]) => (ctx.fields as Set<string>).has(name)));
  if (ctx.unknownFields) fields.customfield_10099 = { self: `${ctx.api}/customFieldOption/10042`, value: 'Tier 1', id: '10042' };
  return { expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields', id: issue.id, self: `${ctx.api}/issue/${issue.id}`, key: issue.key, fields };
}
