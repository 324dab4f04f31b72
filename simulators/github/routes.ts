import type { Request, Response, Router } from 'express';
import { paginate } from './pagination.js';
import { githubError } from './rate-limit.js';
import { commitsOf, renderDeployment, renderPullRequest, renderRepository, type RenderOptions, type PullRequestState, type RepositoryState } from './records.js';
import { API, type GitHubStore } from './store.js';

export interface RouteContext {
  store: GitHubStore;
  /** How a record is served now (the fault plan's malformed records and unknown fields). */
  render(id: number): RenderOptions;
  /** Called before a pull request listing page is answered. */
  onPullListing(repository: string, page: number): void;
}

type SortDirection = 'asc' | 'desc';

function direction(req: Request, fallback: SortDirection): SortDirection {
  return req.query.direction === 'asc' || req.query.direction === 'desc' ? req.query.direction : fallback;
}

function sortBy<T>(items: T[], key: (item: T) => string, tieBreak: (item: T) => number, order: SortDirection): T[] {
  const sign = order === 'asc' ? 1 : -1;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : tieBreak(a) - tieBreak(b)) * sign);
}

/** `GET /orgs/{org}/repos` (and `/organizations/{id}/repos`): `sort` created (default), updated, pushed or full_name. */
export function listRepositories(req: Request, res: Response, context: RouteContext, canonicalPath: string): void {
  const sort = typeof req.query.sort === 'string' ? req.query.sort : 'created';
  const field = ({ full_name: 'full_name', pushed: 'pushed_at', updated: 'updated_at' } as Record<string, string>)[sort] ?? 'created_at';
  const sorted = sortBy([...context.store.repositories.values()], (r) => r.record[field], (r) => r.record.id, direction(req, sort === 'full_name' ? 'asc' : 'desc'));
  res.json(paginate(req, res, sorted, canonicalPath).map((r) => renderRepository(r, context.render(r.record.id))));
}

/** A repository's pull requests and deployments, mounted under `/repos/{owner}/{repo}` and `/repositories/{id}` (the form `Link` headers use). */
export function repositoryRoutes(router: Router, find: (req: Request) => RepositoryState | undefined, context: RouteContext): void {
  const { store, render } = context;
  const withRepository = (handler: (req: Request, res: Response, repository: RepositoryState) => void) => (req: Request, res: Response) => {
    const repository = find(req);
    if (!repository) return githubError(res, 404, 'Not Found');
    handler(req, res, repository);
  };
  const pullOf = (repository: RepositoryState, req: Request) => store.pull(repository.record.id, Number(req.params.number));
  const deploymentOf = (repository: RepositoryState, req: Request) => {
    const found = store.deployments.get(Number(req.params.id));
    return found && found.repositoryId === repository.record.id ? found : undefined;
  };

  // `state` is open unless asked; `direction` defaults to desc only when sorting by creation.
  router.get('/pulls', withRepository((req, res, repository) => {
    const id = repository.record.id as number;
    const state = typeof req.query.state === 'string' ? req.query.state : 'open';
    if (!['open', 'closed', 'all'].includes(state)) return githubError(res, 422, 'Validation Failed', 'https://docs.github.com/rest/pulls/pulls#list-pull-requests');
    const sort = typeof req.query.sort === 'string' ? req.query.sort : 'created';
    context.onPullListing(repository.record.full_name, Number(req.query.page) || 1);
    const pulls = sortBy(store.pullsOf(id).filter((p) => state === 'all' || p.record.state === state),
      (p: PullRequestState) => (sort === 'updated' ? p.record.updated_at : p.record.created_at), (p) => p.record.number, direction(req, sort === 'created' ? 'desc' : 'asc'));
    res.json(paginate(req, res, pulls, `/repositories/${id}/pulls`).map((p) => renderPullRequest(p, false, render(p.record.id))));
  }));
  router.get('/pulls/:number', withRepository((req, res, repository) => {
    const pull = pullOf(repository, req);
    if (!pull) return githubError(res, 404, 'Not Found', 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request');
    res.json(renderPullRequest(pull, true, render(pull.record.id)));
  }));
  router.get('/pulls/:number/commits', withRepository((req, res, repository) => {
    const pull = pullOf(repository, req);
    if (!pull) return githubError(res, 404, 'Not Found', 'https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request');
    res.json(paginate(req, res, commitsOf(pull), `/repositories/${repository.record.id}/pulls/${pull.record.number}/commits`));
  }));
  // Newest first.
  router.get('/deployments', withRepository((req, res, repository) => {
    const id = repository.record.id as number;
    const environment = typeof req.query.environment === 'string' ? req.query.environment : null;
    const list = store.deploymentsOf(id).filter((d) => environment === null || d.record.environment === environment).sort((a, b) => b.record.id - a.record.id);
    res.json(paginate(req, res, list, `/repositories/${id}/deployments`).map((d) => renderDeployment(d, API, repository.record.full_name, render(d.record.id))));
  }));
  router.get('/deployments/:id', withRepository((req, res, repository) => {
    const found = deploymentOf(repository, req);
    if (!found) return githubError(res, 404, 'Not Found', 'https://docs.github.com/rest/deployments/deployments#get-a-deployment');
    res.json(renderDeployment(found, API, repository.record.full_name, render(found.record.id)));
  }));
  router.get('/deployments/:id/statuses', withRepository((req, res, repository) => {
    const found = deploymentOf(repository, req);
    if (!found) return githubError(res, 404, 'Not Found', 'https://docs.github.com/rest/deployments/statuses#list-deployment-statuses');
    res.json(paginate(req, res, found.statuses, `/repositories/${repository.record.id}/deployments/${found.record.id}/statuses`));
  }));
}
