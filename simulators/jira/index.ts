import { createHash } from 'node:crypto';
import express, { type Response } from 'express';
import { Faults } from '../shared/faults.js';
import { TokenAuthority } from '../shared/oauth.js';
import { controlRoutes, listen } from '../shared/server.js';
import { hubSigner } from '../shared/webhook-signers.js';
import { WebhookSender, webhookControlRoutes } from '../shared/webhooks.js';
import type { World } from '../shared/world.js';
import { compare, JqlError, matches, parseJql, type JqlField, type JqlQuery } from './jql.js';
import { issuesOf, renderIssue, renderVersion, versionsOf, type IssueState, type VersionState } from './records.js';

export interface JiraSimulatorOptions {
  port?: number;
  /** The connected account's time zone: JQL dates are read, and dates written, in it. */
  timeZone?: string;
  projectKey?: string;
}

type IssueChanges = Partial<Omit<IssueState, 'id' | 'key' | 'created' | 'updated'>>;

export interface JiraSimulator {
  vendor: 'jira';
  url: string;
  faults: Faults;
  authority: TokenAuthority;
  credentials: Record<string, string | number>;
  config: Record<string, unknown>;
  issues: Map<string, IssueState>;
  versions: Map<string, VersionState>;
  /** Every JQL searched, and the requests refused for their token. */
  stats: { queries: string[]; unauthorized: number };
  /** Webhooks of issue and version changes, once a target is registered (`webhooks.configure`). */
  webhooks: WebhookSender;
  /** Changes an issue as a person would: `updated` moves to `at` (now by default). */
  updateIssue(id: string, changes: IssueChanges, at?: Date): IssueState;
  addIssue(issue: Omit<IssueState, 'created' | 'updated'>, at?: Date): IssueState;
  removeIssue(id: string): void;
  addVersion(version: VersionState): VersionState;
  updateVersion(id: string, changes: Partial<Omit<VersionState, 'id'>>): VersionState;
  removeVersion(id: string): void;
  close(): Promise<void>;
}

function jiraError(res: Response, status: number, ...errorMessages: string[]) {
  res.status(status).json({ errorMessages, errors: {} });
}

/** `X-RateLimit-Reset`: the reset instant to the minute, 'yyyy-MM-ddTHH:mmZ'. */
const resetHeader = (ms: number) => `${new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().slice(0, 16)}Z`;

const encodeToken = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decodeToken(token: string): { q: string; after: (string | number)[] } | null {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString());
    return typeof value?.q === 'string' && Array.isArray(value.after) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Jira Cloud through the Atlassian API gateway: the OAuth 2.0 (3LO) token endpoint with rotating
 * refresh tokens, `/ex/jira/{cloudId}/rest/api/3/` `search/jql` (JQL read in the account's time
 * zone, `nextPageToken`/`isLast`, only the named `fields`), project versions and `myself`, the
 * retired `/search` answering 410, 429s with `Retry-After`, `X-RateLimit-Reset` and
 * `RateLimit-Reason`, and errors as `{ errorMessages, errors }`.
 */
export async function startJiraSimulator(world: World, options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const faults = new Faults();
  const seed = createHash('sha256').update(`jira:${world.tenant}`).digest('hex');
  const cloudId = `${seed.slice(0, 8)}-${seed.slice(8, 12)}-4${seed.slice(13, 16)}-a${seed.slice(17, 20)}-${seed.slice(20, 32)}`;
  const client = { clientId: seed.slice(32, 64), clientSecret: `ATOA${seed.slice(0, 40)}` };
  const authority = new TokenAuthority(client, { ttlSeconds: 3_600, rotateRefreshTokens: true, extra: () => ({ scope: 'read:jira-work read:jira-user offline_access' }) });
  const timeZone = options.timeZone ?? 'UTC';
  const projectKey = options.projectKey ?? 'PG';
  const issues = new Map(issuesOf(world).map((i) => [i.id, i]));
  const versions = new Map(versionsOf(world).map((v) => [v.id, v]));
  const stats = { queries: [] as string[], unauthorized: 0 };
  let url = '';
  const api = () => `${url}/ex/jira/${cloudId}/rest/api/3`;

  const webhooks = new WebhookSender(hubSigner('x-hub-signature'));
  let deliveries = 0;
  const today = () => new Date().toISOString().slice(0, 10);
  const renderAll = (issue: IssueState) => renderIssue(issue, { api: api(), projectKey, timeZone, versions, fields: 'all', unknownFields: false, malformed: false });
  // What Jira posts: `{ timestamp, webhookEvent, issue | version }`, one delivery id per event, kept across retries.
  const notify = (webhookEvent: string, subject: Record<string, unknown>) => {
    webhooks.emit({ timestamp: Date.now(), webhookEvent, ...subject }, { 'x-atlassian-webhook-identifier': `${seed.slice(0, 6)}-${++deliveries}` });
  };

  const app = express();
  controlRoutes(app, faults);
  webhookControlRoutes(app, webhooks);
  app.post('/oauth/token', express.urlencoded({ extended: false }), express.json(), authority.handle);

  app.use('/ex/jira', faults.middleware({
    rateLimited: (res, retryAfter) => {
      res.set({ 'retry-after': String(retryAfter), 'x-ratelimit-reset': resetHeader(Date.now() + retryAfter * 1000), 'ratelimit-reason': 'jira-burst-based' });
      jiraError(res, 429, 'Rate limit exceeded.');
    },
    serverError: (res, status) => jiraError(res, status, status === 503 ? 'Service Unavailable' : 'Internal server error'),
  }));
  app.use('/ex/jira', (req, res, next) => {
    if (req.path.split('/')[1] !== cloudId) return jiraError(res, 404, 'Site temporarily unavailable');
    if (authority.check(req) !== 'ok') {
      stats.unauthorized++;
      return res.status(401).json({ code: 401, message: 'Unauthorized' });
    }
    next();
  });

  const API = `/ex/jira/${cloudId}/rest/api/3`;
  app.get(`${API}/myself`, (_req, res) => {
    res.json({ self: `${api()}/user?accountId=5b10ac8d82e05b22cc7d4ef5`, accountId: '5b10ac8d82e05b22cc7d4ef5', accountType: 'atlassian', displayName: 'Integration Bot', active: true, timeZone, locale: 'en_US' });
  });
  app.get(`${API}/project/:key/versions`, (req, res) => {
    if (req.params.key !== projectKey && req.params.key !== '10000') return jiraError(res, 404, `No project could be found with key '${req.params.key}'.`);
    const today = new Date().toISOString().slice(0, 10);
    res.json([...versions.values()].map((v) => renderVersion(v, api(), today)));
  });
  app.get(`${API}/issue/:idOrKey`, (req, res) => {
    const found = [...issues.values()].find((i) => i.id === req.params.idOrKey || i.key === req.params.idOrKey);
    if (!found) return jiraError(res, 404, 'Issue does not exist or you do not have permission to see it.');
    const requested = typeof req.query.fields === 'string' ? req.query.fields.split(',').map((f) => f.trim()).filter(Boolean) : ['*all'];
    const fields = requested.some((f) => f === '*all' || f === '*navigable') ? 'all' as const : new Set(requested);
    res.json(renderIssue(found, { api: api(), projectKey, timeZone, versions, fields, unknownFields: !!faults.plan.unknownFields, malformed: faults.isMalformed(found.id) }));
  });
  app.get(`${API}/version/:id`, (req, res) => {
    const version = versions.get(req.params.id);
    if (!version) return jiraError(res, 404, `Could not find version for id '${req.params.id}'`);
    res.json(renderVersion(version, api(), today()));
  });
  app.all(`${API}/search`, (_req, res) => jiraError(res, 410, 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'));

  const valueOf = (issue: IssueState, field: JqlField): string | number => {
    switch (field) {
      case 'project': return projectKey;
      case 'issuetype': return 'Epic';
      case 'updated': return issue.updated;
      case 'created': return issue.created;
      case 'key': return issue.key;
    }
  };
  app.get(`${API}/search/jql`, (req, res) => {
    const jql = typeof req.query.jql === 'string' ? req.query.jql : '';
    stats.queries.push(jql);
    let query: JqlQuery;
    try {
      query = parseJql(jql, timeZone);
    } catch (error) {
      if (error instanceof JqlError) return jiraError(res, 400, error.message);
      throw error;
    }
    if (!query.where.length) return jiraError(res, 400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    const maxResults = req.query.maxResults === undefined ? 50 : Number(req.query.maxResults);
    if (!Number.isInteger(maxResults) || maxResults < 0) return jiraError(res, 400, "The value for 'maxResults' must be a non-negative integer.");
    const requested = typeof req.query.fields === 'string' ? req.query.fields.split(',').map((f) => f.trim()).filter(Boolean) : [];
    const fields = requested.some((f) => f === '*all' || f === '*navigable') ? 'all' as const : new Set(requested);

    const order = query.orderBy.length ? query.orderBy : [{ field: 'key' as JqlField, direction: 'DESC' as const }];
    const sortKey = (issue: IssueState) => [...order.map((o) => valueOf(issue, o.field)), issue.id];
    const directions = [...order.map((o) => (o.direction === 'DESC' ? -1 : 1)), 1];
    const compareKeys = (a: (string | number)[], b: (string | number)[]) => {
      for (let i = 0; i < a.length; i++) {
        const c = compare(a[i], b[i]) * directions[i];
        if (c) return c;
      }
      return 0;
    };
    const found = [...issues.values()].filter((issue) => matches(query, (f) => valueOf(issue, f))).sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
    const q = createHash('sha1').update(jql).digest('hex').slice(0, 12);
    let start = 0;
    if (typeof req.query.nextPageToken === 'string') {
      const token = decodeToken(req.query.nextPageToken);
      if (!token || token.q !== q) return jiraError(res, 400, 'The provided next page token is invalid or expired.');
      // Keyset: the first issue after the last one served, so concurrent changes neither repeat nor skip issues.
      start = found.findIndex((issue) => compareKeys(sortKey(issue), token.after) > 0);
      if (start < 0) start = found.length;
    }
    const page = found.slice(start, start + Math.min(maxResults, 100));
    const isLast = start + page.length >= found.length;
    const ctx = { api: api(), projectKey, timeZone, versions, fields, unknownFields: !!faults.plan.unknownFields };
    res.json({
      issues: page.map((issue) => renderIssue(issue, { ...ctx, malformed: faults.isMalformed(issue.id) })),
      ...(isLast ? {} : { nextPageToken: encodeToken({ q, after: sortKey(page.at(-1)!) }) }),
      isLast,
    });
  });
  app.use('/ex/jira', (req, res) => jiraError(res, 404, `null for uri: ${api()}${req.path}`));

  const running = await listen(app, options.port ?? 0);
  url = running.url;
  const grant = authority.grant();
  const issue = (id: string) => {
    const found = issues.get(id);
    if (!found) throw new Error(`no issue ${id}`);
    return found;
  };
  return {
    ...running, vendor: 'jira', faults, authority, issues, versions, stats,
    credentials: { ...client, refreshToken: grant.refreshToken, accessToken: grant.accessToken, expiresAt: grant.expiresAt, tokenUrl: `${url}/oauth/token` },
    config: { cloudId, site: world.tenant, projectKey, timeZone },
    webhooks,
    updateIssue(id, changes, at = new Date()) {
      const updated = Object.assign(issue(id), changes, { updated: at.getTime() });
      notify('jira:issue_updated', { issue_event_type_name: 'issue_generic', issue: renderAll(updated) });
      return updated;
    },
    addIssue(added, at = new Date()) {
      const state = { ...added, created: at.getTime(), updated: at.getTime() };
      issues.set(state.id, state);
      notify('jira:issue_created', { issue_event_type_name: 'issue_created', issue: renderAll(state) });
      return state;
    },
    removeIssue(id) {
      const removed = issue(id);
      issues.delete(id);
      notify('jira:issue_deleted', { issue_event_type_name: 'issue_deleted', issue: renderAll(removed) });
    },
    addVersion(version) {
      versions.set(version.id, version);
      notify('jira:version_created', { version: renderVersion(version, api(), today()) });
      return version;
    },
    updateVersion(id, changes) {
      const version = versions.get(id);
      if (!version) throw new Error(`no version ${id}`);
      const wasReleased = version.released;
      Object.assign(version, changes);
      notify(!wasReleased && version.released ? 'jira:version_released' : 'jira:version_updated', { version: renderVersion(version, api(), today()) });
      return version;
    },
    removeVersion(id) {
      const version = versions.get(id);
      if (!version) throw new Error(`no version ${id}`);
      versions.delete(id);
      notify('jira:version_deleted', { version: renderVersion(version, api(), today()) });
    },
  };
}
