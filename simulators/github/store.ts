import { gitSha, githubTime } from '../../seed/engineering.js';
import type { World } from '../shared/world.js';
import { deploymentsOf, pullRequestsOf, repositoriesOf, type DeploymentState, type GitHubRecord, type PullRequestState, type RepositoryState } from './records.js';

/** The API host the records' own `url` fields name. */
export const API = 'https://api.github.com';

export interface NewPullRequest {
  title: string;
  branch: string;
  author?: string;
  additions?: number;
  deletions?: number;
}

const nextId = (ids: Iterable<number>, step: number) => Math.max(0, ...ids) + step;

/** The organisation's repositories, pull requests and deployments, and the changes people make to them. */
export class GitHubStore {
  readonly repositories: Map<number, RepositoryState>;
  readonly pullRequests: Map<number, PullRequestState>;
  readonly deployments: Map<number, DeploymentState>;
  /** Pull requests by repository id and number, as the API addresses them. */
  private readonly numbered = new Map<string, PullRequestState>();

  constructor(world: World) {
    this.repositories = new Map(repositoriesOf(world).map((r) => [r.record.id as number, r]));
    this.pullRequests = new Map(pullRequestsOf(world).map((p) => [p.record.id as number, p]));
    this.deployments = new Map(deploymentsOf(world).map((d) => [d.record.id as number, d]));
    for (const p of this.pullRequests.values()) this.numbered.set(`${p.repositoryId}#${p.record.number}`, p);
  }

  repositoryNamed(fullName: string): RepositoryState | undefined {
    const wanted = fullName.toLowerCase();
    return [...this.repositories.values()].find((r) => (r.record.full_name as string).toLowerCase() === wanted);
  }

  pullsOf(repositoryId: number): PullRequestState[] {
    return [...this.pullRequests.values()].filter((p) => p.repositoryId === repositoryId);
  }

  pull(repositoryId: number, number: number): PullRequestState | undefined {
    return this.numbered.get(`${repositoryId}#${number}`);
  }

  deploymentsOf(repositoryId: number): DeploymentState[] {
    return [...this.deployments.values()].filter((d) => d.repositoryId === repositoryId);
  }

  private repositoryOf(fullName: string): RepositoryState {
    const found = this.repositoryNamed(fullName);
    if (!found) throw new Error(`no repository ${fullName}`);
    return found;
  }

  updatePullRequest(id: number, changes: GitHubRecord, at = new Date()): GitHubRecord {
    const pull = this.pullRequests.get(id);
    if (!pull) throw new Error(`no pull request ${id}`);
    Object.assign(pull.record, changes, { updated_at: githubTime(at) });
    return pull.record;
  }

  mergePullRequest(id: number, at = new Date()): GitHubRecord {
    const time = githubTime(at);
    return this.updatePullRequest(id, { state: 'closed', merged: true, merged_at: time, closed_at: time, merge_commit_sha: gitSha(`merge:${id}`) }, at);
  }

  addPullRequest(fullName: string, pull: NewPullRequest, at = new Date()): GitHubRecord {
    const repository = this.repositoryOf(fullName);
    const repositoryId = repository.record.id as number;
    const id = nextId(this.pullRequests.keys(), 11);
    const number = nextId(this.pullsOf(repositoryId).map((p) => p.record.number as number), 1);
    const time = githubTime(at);
    const author = pull.author ?? 'ada';
    const [owner] = fullName.split('/');
    const record: GitHubRecord = {
      url: `${API}/repos/${fullName}/pulls/${number}`, id, html_url: `https://github.com/${fullName}/pull/${number}`, number, state: 'open', locked: false,
      title: pull.title, user: { login: author, type: 'User' }, body: null, created_at: time, updated_at: time, closed_at: null, merged_at: null, merge_commit_sha: null,
      draft: false, author_association: 'MEMBER', head: { label: `${owner}:${pull.branch}`, ref: pull.branch, sha: gitSha(`head:${id}`) },
      base: { label: `${owner}:main`, ref: 'main', sha: gitSha(`base:${id}`), repo: { id: repositoryId, name: repository.record.name, full_name: fullName } },
      merged: false, comments: 0, review_comments: 0, commits: 2, additions: pull.additions ?? 10, deletions: pull.deletions ?? 2, changed_files: 1,
    };
    const state = { repositoryId, record, firstCommitAt: githubTime(at.getTime() - 3_600_000) };
    this.pullRequests.set(id, state);
    this.numbered.set(`${repositoryId}#${number}`, state);
    return record;
  }

  addDeployment(fullName: string, { environment, state }: { environment: string; state: string }, at = new Date()): GitHubRecord {
    const repository = this.repositoryOf(fullName);
    const id = nextId(this.deployments.keys(), 13);
    const time = githubTime(at);
    const record: GitHubRecord = {
      id, sha: gitSha(`deploy:${id}`), ref: 'main', task: 'deploy', payload: {}, original_environment: environment, environment, description: null,
      creator: { login: 'deploy-bot', type: 'Bot' }, created_at: time, updated_at: time,
      transient_environment: environment === 'preview', production_environment: environment === 'production',
    };
    this.deployments.set(id, { repositoryId: repository.record.id as number, record, statuses: [] });
    this.addDeploymentStatus(id, state, at);
    return record;
  }

  /** Statuses are listed newest first; a new one changes the deployment. */
  addDeploymentStatus(id: number, state: string, at = new Date()): GitHubRecord {
    const found = this.deployments.get(id);
    if (!found) throw new Error(`no deployment ${id}`);
    const time = githubTime(at);
    const status = { id: id * 10 + found.statuses.length + 1, state, description: null, environment: found.record.environment, creator: { login: 'deploy-bot', type: 'Bot' }, created_at: time, updated_at: time };
    found.statuses.unshift(status);
    found.record.updated_at = time;
    return status;
  }

  removeDeployment(id: number): void {
    this.deployments.delete(id);
  }

  /** A repository deleted: its pull requests and deployments go with it. */
  removeRepository(fullName: string): void {
    const repositoryId = this.repositoryOf(fullName).record.id as number;
    this.repositories.delete(repositoryId);
    for (const [id, p] of this.pullRequests) {
      if (p.repositoryId !== repositoryId) continue;
      this.pullRequests.delete(id);
      this.numbered.delete(`${repositoryId}#${p.record.number}`);
    }
    for (const [id, d] of this.deployments) if (d.repositoryId === repositoryId) this.deployments.delete(id);
  }
}
