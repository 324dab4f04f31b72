import { linkDelivery } from '../link-delivery.js';
import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { jqlLowerBound } from './jql-time.js';
import { issueMapping } from './mapping.js';
import { apiPath, jiraSettings, type JiraSettings } from './settings.js';

/** The newest `updated` among the issues stored so far. */
export interface IssueCursor { updated: string }

/** Only what the mapping reads: `/search/jql` returns ids alone unless fields are named. */
export const ISSUE_FIELDS = ['summary', 'description', 'status', 'priority', 'labels', 'fixVersions', 'resolutiondate', 'created', 'updated', 'issuetype'];

interface SearchPage { issues?: unknown[]; nextPageToken?: string | null; isLast?: boolean }

async function accountTimeZone(ctx: ReadContext<IssueCursor>, settings: JiraSettings): Promise<string> {
  if (settings.timeZone) return settings.timeZone;
  const me = await ctx.http.get<{ timeZone?: unknown }>(apiPath(settings, '/myself'));
  return typeof me.timeZone === 'string' && me.timeZone ? me.timeZone : 'UTC';
}

function updatedOf(issue: unknown): number {
  const updated = (issue as { fields?: { updated?: unknown } } | null)?.fields?.updated;
  return typeof updated === 'string' ? Date.parse(updated) : NaN;
}

/**
 * Epics, oldest change first: `project = KEY AND issuetype = "Epic" AND updated >= "<minute>"
 * ORDER BY updated ASC`, paged with `nextPageToken`. The cursor is the newest `updated` stored;
 * the next search starts `overlapMinutes` before it, written as a minute in the account's time
 * zone that Jira cannot read as later (see jql-time.ts), so the minute of the cursor and changes
 * the search index had not yet seen are read again: unchanged rows are not rewritten. A first
 * sync starts at `since`; a reconciliation reads every epic.
 */
export const issues: Stream<IssueCursor> = {
  name: 'issues',
  mapping: issueMapping,
  afterWrite: linkDelivery,
  async *read(ctx): AsyncIterable<Page<IssueCursor>> {
    const settings = jiraSettings(ctx.config);
    const timeZone = await accountTimeZone(ctx, settings);
    const from = ctx.cursor ? new Date(Date.parse(ctx.cursor.updated) - settings.overlapMinutes * 60_000) : ctx.mode === 'reconcile' ? null : ctx.since;
    const clauses = [`project = "${settings.projectKey}"`, `issuetype = "${settings.issueType}"`];
    if (from) clauses.push(`updated >= "${jqlLowerBound(from, timeZone)}"`);
    const jql = `${clauses.join(' AND ')} ORDER BY updated ASC`;
    let newest = ctx.cursor ? Date.parse(ctx.cursor.updated) : -Infinity;
    for (let token: string | undefined; ;) {
      const page = await ctx.http.get<SearchPage>(apiPath(settings, '/search/jql'), { jql, fields: ISSUE_FIELDS.join(','), maxResults: settings.pageSize, nextPageToken: token });
      const records = Array.isArray(page.issues) ? page.issues : [];
      for (const issue of records) newest = Math.max(newest, updatedOf(issue) || -Infinity);
      yield { records, cursor: Number.isFinite(newest) ? { updated: new Date(newest).toISOString() } : null };
      // The last page may leave out nextPageToken altogether instead of sending null.
      if (page.isLast !== false || !page.nextPageToken) return;
      token = page.nextPageToken;
    }
  },
};
