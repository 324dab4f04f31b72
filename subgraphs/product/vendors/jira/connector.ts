import type { Connector } from '../../../../sync/connector.js';
import { retryAfterMs } from '../../../../sync/retry.js';
import { issues } from './issues.js';
import { versions } from './versions.js';
import { jiraWebhooks } from './webhooks.js';

/**
 * Jira Cloud (product). Confirmed against Atlassian's developer docs:
 * - auth: OAuth 2.0 (3LO); `POST https://auth.atlassian.com/oauth/token` with `grant_type=refresh_token`,
 *   client id and secret; access tokens last about an hour (`expires_in` 3600) and refresh tokens
 *   ROTATE: each refresh answers a new one and the one sent is dead, so it is saved before use;
 *   calls go through the gateway, `https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/...`;
 * - epics: `GET /rest/api/3/search/jql?jql=&fields=&maxResults=&nextPageToken=` -> `{ issues, nextPageToken,
 *   isLast }`, no total; without `fields` only ids come back; the last page may omit `nextPageToken`;
 *   the search is eventually consistent; the old `/rest/api/3/search` (startAt/total) answers 410;
 * - JQL date literals are `"yyyy/MM/dd HH:mm"`, minute precision, read in the querying account's time
 *   zone (`GET /rest/api/3/myself` -> `timeZone`): see jql-time.ts and issues.ts for how no change is skipped;
 * - an issue's description is an Atlassian Document Format document in API v3; its dates look like
 *   `2026-11-22T21:57:36.123-0330` (the account's offset);
 * - versions: `GET /rest/api/3/project/{key}/versions`, one unpaginated list of `{ id, name, description,
 *   archived, released, releaseDate }`, no modification time;
 * - limits: 429 with `Retry-After` (seconds), `X-RateLimit-Reset` (`yyyy-MM-ddTHH:mmZ`) and
 *   `RateLimit-Reason` (`jira-burst-based`, `jira-quota-tenant-based`, ...); some 503s carry `Retry-After` too;
 * - errors: `{ errorMessages: [...], errors: { field: message } }`.
 * Connection config: `cloudId` (required), `site` (links back), `projectKey` (default PG), `issueType`
 * (default Epic), `timeZone` (the account's zone; asked of Jira when unset), `pageSize` (up to 100),
 * `overlapMinutes` (default 5), `statusMap` (a site's own status names), `teams` (labels that are teams).
 */
export const jira: Connector = {
  vendor: 'jira',
  domain: 'product',
  title: 'Jira Cloud',
  defaultBaseUrl: 'https://api.atlassian.com',
  auth: { type: 'oauth2', tokenUrl: 'https://auth.atlassian.com/oauth/token' },
  // Points-based limits per app, user and site; a steady few requests a second stays clear of the burst limit.
  requestsPerSecond: 8,
  signals: {
    classify({ status, headers }) {
      if (status !== 429 && status !== 503) return undefined;
      const reset = Date.parse(headers.get('x-ratelimit-reset') ?? '');
      const waitMs = retryAfterMs(headers.get('retry-after')) ?? (Number.isNaN(reset) ? undefined : Math.max(0, reset - Date.now()));
      const reason = headers.get('ratelimit-reason');
      return { retry: true, waitMs, reason: reason ? `Jira rate limit (${reason})` : undefined };
    },
  },
  streams: [versions, issues],
  webhooks: jiraWebhooks,
};
