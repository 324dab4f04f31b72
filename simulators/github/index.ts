import { createHash } from 'node:crypto';
import express from 'express';
import { Faults } from '../shared/faults.js';
import { controlRoutes, listen } from '../shared/server.js';
import { hubSigner } from '../shared/webhook-signers.js';
import { WebhookSender, webhookControlRoutes } from '../shared/webhooks.js';
import type { World } from '../shared/world.js';
import { githubError, RateLimitWindow } from './rate-limit.js';
import { renderDeployment, renderPullRequest, renderRepository, type DeploymentState, type GitHubRecord, type PullRequestState, type RepositoryState } from './records.js';
import { listRepositories, repositoryRoutes, type RouteContext } from './routes.js';
import { API, GitHubStore, type NewPullRequest } from './store.js';

export interface GitHubSimulator {
  vendor: 'github';
  url: string;
  faults: Faults;
  credentials: { token: string };
  config: { org: string };
  repositories: Map<number, RepositoryState>;
  pullRequests: Map<number, PullRequestState>;
  deployments: Map<number, DeploymentState>;
  stats: { primaryLimited: number; unauthorized: number };
  /** `pull_request` and `deployment_status` webhooks of the changes below, once a target is registered. */
  webhooks: WebhookSender;
  /** A secondary rate limit answers 429 (default) or 403. */
  setSecondaryLimitStatus(status: 403 | 429): void;
  /** Spends the primary rate limit: every request answers 403 with `x-ratelimit-remaining: 0` until the reset. */
  exhaustRateLimit(resetInSeconds: number): void;
  /** Called before each pull request listing page is answered (a test changes data mid-walk). */
  onPullListing(hook: ((repository: string, page: number) => void) | null): void;
  /** Changes a pull request as a person would: `updated_at` moves to `at` (now by default). */
  updatePullRequest(id: number, changes: GitHubRecord, at?: Date): GitHubRecord;
  mergePullRequest(id: number, at?: Date): GitHubRecord;
  addPullRequest(repository: string, pull: NewPullRequest, at?: Date): GitHubRecord;
  addDeployment(repository: string, deployment: { environment: string; state: string }, at?: Date): GitHubRecord;
  /** A new status on a deployment (`inactive` after a failure: service restored). */
  addDeploymentStatus(id: number, state: string, at?: Date): GitHubRecord;
  removeDeployment(id: number): void;
  removeRepository(fullName: string): void;
  /** The token stops working (revoked, or an installation token past its hour). */
  revokeToken(): void;
  close(): Promise<void>;
}

/**
 * GitHub's REST API for one organisation: `GET /orgs/{org}/repos`, `GET /repos/{owner}/{repo}/pulls`
 * (`state` open by default, `sort` created|updated, `direction` desc by default only for created),
 * a pull request and its commits (oldest first), deployments (newest first) and their statuses
 * (newest first). Pages by `per_page` (max 100) and `page` with a `Link` header naming
 * `/organizations/{id}/...` and `/repositories/{id}/...` as GitHub does. Bearer (or `token`)
 * authentication, `x-ratelimit-*` headers on every answer, 403 with `x-ratelimit-remaining: 0`
 * when the primary limit is spent, secondary limits with `retry-after`, errors
 * `{ message, documentation_url, status }`.
 */
export async function startGitHubSimulator(world: World, options: { port?: number } = {}): Promise<GitHubSimulator> {
  const faults = new Faults();
  const org = `${world.tenant}-inc`;
  const orgId = parseInt(createHash('sha256').update(`github-org:${org}`).digest('hex').slice(0, 6), 16);
  let token = `ghp_${createHash('sha256').update(`github:${world.tenant}`).digest('hex').slice(0, 36)}`;
  const limits = new RateLimitWindow();
  const store = new GitHubStore(world);
  let unauthorized = 0;
  let pullListingHook: ((repository: string, page: number) => void) | null = null;
  const context: RouteContext = {
    store,
    render: (id) => ({ malformed: faults.isMalformed(String(id)), unknownFields: !!faults.plan.unknownFields }),
    onPullListing: (repository, page) => pullListingHook?.(repository, page),
  };

  const webhooks = new WebhookSender(hubSigner('x-hub-signature-256'));
  let deliveries = 0;
  const clean = { malformed: false, unknownFields: false };
  const repositoryRecord = (id: number) => renderRepository(store.repositories.get(id)!, clean);
  // What GitHub posts: the event in X-GitHub-Event, a GUID per delivery in X-GitHub-Delivery.
  const notify = (event: string, body: GitHubRecord) => {
    const n = ++deliveries;
    const guid = createHash('sha256').update(`delivery:${org}:${n}`).digest('hex');
    webhooks.emit({ ...body, organization: { login: org, id: orgId } }, {
      'x-github-event': event, 'x-github-hook-id': '471860', 'x-github-delivery': `${guid.slice(0, 8)}-${guid.slice(8, 12)}-${guid.slice(12, 16)}-${guid.slice(16, 20)}-${guid.slice(20, 32)}`,
    });
  };
  const pullEvent = (action: string, id: number) => {
    const state = store.pullRequests.get(id)!;
    notify('pull_request', { action, number: state.record.number, pull_request: renderPullRequest(state, true, clean), repository: repositoryRecord(state.repositoryId) });
    return state.record;
  };
  const deploymentEvent = (id: number) => {
    const state = store.deployments.get(id)!;
    const fullName = store.repositories.get(state.repositoryId)!.record.full_name as string;
    notify('deployment_status', { action: 'created', deployment_status: state.statuses[0], deployment: renderDeployment(state, API, fullName, clean), repository: repositoryRecord(state.repositoryId) });
  };

  const app = express();
  controlRoutes(app, faults);
  webhookControlRoutes(app, webhooks);
  app.use(limits.middleware());
  app.use(faults.middleware(limits.shapes()));
  app.use((req, res, next) => {
    const header = req.headers.authorization ?? '';
    if (header !== `Bearer ${token}` && header !== `token ${token}`) {
      unauthorized++;
      return githubError(res, 401, 'Bad credentials');
    }
    res.set('x-github-request-id', createHash('sha1').update(`${req.url}:${faults.stats.requests}`).digest('hex').slice(0, 16).toUpperCase());
    next();
  });
  app.get('/orgs/:org/repos', (req, res) => {
    if (String(req.params.org).toLowerCase() !== org.toLowerCase()) return githubError(res, 404, 'Not Found', 'https://docs.github.com/rest/repos/repos#list-organization-repositories');
    listRepositories(req, res, context, `/organizations/${orgId}/repos`);
  });
  app.get('/organizations/:id/repos', (req, res) => {
    if (Number(req.params.id) !== orgId) return githubError(res, 404, 'Not Found');
    listRepositories(req, res, context, `/organizations/${orgId}/repos`);
  });
  const byName = express.Router({ mergeParams: true });
  repositoryRoutes(byName, (req) => store.repositoryNamed(`${req.params.owner}/${req.params.repo}`), context);
  app.use('/repos/:owner/:repo', byName);
  const byId = express.Router({ mergeParams: true });
  repositoryRoutes(byId, (req) => store.repositories.get(Number(req.params.repositoryId)), context);
  app.use('/repositories/:repositoryId', byId);
  app.use((_req, res) => githubError(res, 404, 'Not Found'));

  const running = await listen(app, options.port ?? 0);
  return {
    ...running, vendor: 'github', faults, credentials: { token }, config: { org },
    repositories: store.repositories, pullRequests: store.pullRequests, deployments: store.deployments,
    get stats() { return { primaryLimited: limits.primaryLimited, unauthorized }; },
    setSecondaryLimitStatus: (status) => { limits.secondaryStatus = status; },
    exhaustRateLimit: (resetInSeconds) => limits.exhaust(resetInSeconds),
    onPullListing: (hook) => { pullListingHook = hook; },
    webhooks,
    updatePullRequest: (id, changes, at) => { store.updatePullRequest(id, changes, at); return pullEvent('edited', id); },
    mergePullRequest: (id, at) => { store.mergePullRequest(id, at); return pullEvent('closed', id); },
    addPullRequest: (repository, pull, at) => { const added = store.addPullRequest(repository, pull, at); return pullEvent('opened', added.id as number); },
    addDeployment: (repository, deployment, at) => { const added = store.addDeployment(repository, deployment, at); deploymentEvent(added.id as number); return added; },
    addDeploymentStatus: (id, state, at) => { const status = store.addDeploymentStatus(id, state, at); deploymentEvent(id); return status; },
    removeDeployment: (id) => store.removeDeployment(id),
    removeRepository: (fullName) => store.removeRepository(fullName),
    revokeToken: () => { token = `${token}-revoked`; },
  };
}
