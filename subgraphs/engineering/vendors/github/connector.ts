import type { Connector } from '../../../../sync/connector.js';
import { deployments } from './deployments.js';
import { pullRequests } from './pull-requests.js';
import { githubRateLimits } from './rate-limits.js';
import { repositories } from './repositories.js';
import { githubWebhooks } from './webhooks.js';

/**
 * GitHub (engineering), REST API version 2022-11-28. Confirmed against GitHub's REST docs:
 * - auth: `Authorization: Bearer <token>`, a personal access token or an app installation token
 *   (an installation token lives one hour); a bad, expired or revoked token answers 401
 *   `{ message: "Bad credentials", documentation_url }`: someone must reconnect;
 * - pagination: `per_page` (at most 100) and the `Link` header, `<url>; rel="next"` (also prev,
 *   last, first); the URLs may name the repository by id (`/repositories/{id}/pulls?...&page=2`)
 *   and are followed as given; no `Link` when everything fits on one page;
 * - repositories: `GET /orgs/{org}/repos` (`type`, `sort=full_name`); `custom_properties` holds the
 *   organisation's repository properties (`team`);
 * - pull requests: `GET /repos/{owner}/{repo}/pulls?state=all&sort=updated&direction=desc` (`state`
 *   is `open` by default; there is no `since`), items without size or commits; `GET .../pulls/{n}`
 *   adds `additions`/`deletions`; `GET .../pulls/{n}/commits` lists commits oldest first (up to 250);
 *   state is `open`/`closed` with `merged_at` set on a merged one; times are ISO 8601 to the second;
 * - deployments: `GET /repos/{owner}/{repo}/deployments` (newest first, no time filter) and
 *   `GET .../deployments/{id}/statuses` (states error, failure, inactive, in_progress, queued,
 *   pending, success; newest first); `GET .../deployments/{id}` for one;
 * - limits: `x-ratelimit-limit/-remaining/-used/-reset/-resource` on every answer; a spent primary
 *   limit is 403 or 429 with `x-ratelimit-remaining: 0` (wait until `x-ratelimit-reset`, epoch
 *   seconds); a secondary limit is 403 or 429, with `retry-after` or else "wait at least one
 *   minute"; errors are `{ message, documentation_url }`.
 * The trap: pull requests can only be walked newest change first and cut at the cursor; see
 * pull-requests.ts for how a walk never loses a change. Connection config: `org` (required),
 * `pageSize` (default 100), `concurrency` (details fetched at once, default 4), `watchDays`
 * (how long an unfinished deployment is checked again, default 30).
 */
export const github: Connector = {
  vendor: 'github',
  domain: 'engineering',
  title: 'GitHub',
  defaultBaseUrl: 'https://api.github.com',
  auth: { type: 'bearer' },
  // 5,000 requests an hour per token is the binding limit; the secondary limit allows 900 reads a minute.
  requestsPerSecond: 10,
  headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
  signals: githubRateLimits,
  streams: [repositories, deployments, pullRequests],
  webhooks: githubWebhooks,
};
