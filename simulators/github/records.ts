import { gitSha, githubTime } from '../../seed/engineering.js';
import type { World } from '../shared/world.js';

export type GitHubRecord = Record<string, any>;

export interface RepositoryState { record: GitHubRecord }

export interface PullRequestState {
  repositoryId: number;
  /** The full pull request, as `GET /repos/{owner}/{repo}/pulls/{number}` answers it. */
  record: GitHubRecord;
  /** Author date of the branch's first commit. */
  firstCommitAt: string;
}

export interface DeploymentState {
  repositoryId: number;
  /** The deployment without its statuses. */
  record: GitHubRecord;
  /** Newest first, as GitHub lists them. */
  statuses: GitHubRecord[];
}

/** Fields only the single pull request has, not its entry in a listing. */
const DETAIL_ONLY = ['merged', 'mergeable', 'mergeable_state', 'merged_by', 'comments', 'review_comments', 'maintainer_can_modify', 'commits', 'additions', 'deletions', 'changed_files'];

export function repositoriesOf(world: World): RepositoryState[] {
  return world.rows('engineering.repositories').map((row) => ({ record: structuredClone(row.raw) }));
}

export function pullRequestsOf(world: World): PullRequestState[] {
  return world.rows('engineering.pull_requests').map((row) => ({
    repositoryId: row.raw.base.repo.id,
    record: structuredClone(row.raw),
    firstCommitAt: githubTime(row.first_commit_at),
  }));
}

export function deploymentsOf(world: World): DeploymentState[] {
  const repositoryIds = new Map(world.rows('engineering.repositories').map((r) => [r.id, Number(r.external_id)]));
  return world.rows('engineering.deployments').map((row) => {
    const { statuses, ...record } = structuredClone(row.raw);
    return { repositoryId: repositoryIds.get(row.repository_id)!, record, statuses };
  });
}

export interface RenderOptions {
  malformed: boolean;
  unknownFields: boolean;
}

/** A record as served: a malformed one carries a creation time no one can read; unknown fields are a new API preview. */
function served(record: GitHubRecord, options: RenderOptions): GitHubRecord {
  const out: GitHubRecord = options.malformed ? { ...record, created_at: 'last tuesday' } : { ...record };
  if (options.unknownFields) out.x_preview_field = { enabled: true, since: '2026-10-01' };
  return out;
}

export function renderRepository(state: RepositoryState, options: RenderOptions): GitHubRecord {
  return served(state.record, options);
}

export function renderPullRequest(state: PullRequestState, detail: boolean, options: RenderOptions): GitHubRecord {
  const out = served(state.record, options);
  if (!detail) for (const field of DETAIL_ONLY) delete out[field];
  return out;
}

export function renderDeployment(state: DeploymentState, api: string, fullName: string, options: RenderOptions): GitHubRecord {
  const url = `${api}/repos/${fullName}/deployments/${state.record.id}`;
  return served({ url, ...state.record, statuses_url: `${url}/statuses`, repository_url: `${api}/repos/${fullName}` }, options);
}

/** The commits of a pull request, oldest first: the first at its recorded time, the rest an hour apart. */
export function commitsOf(state: PullRequestState): GitHubRecord[] {
  const count = Math.max(1, Number(state.record.commits) || 1);
  const login = state.record.user?.login ?? 'ghost';
  return Array.from({ length: count }, (_, i) => {
    const date = githubTime(Date.parse(state.firstCommitAt) + i * 3_600_000);
    const sha = gitSha(`commit:${state.record.id}:${i}`);
    const person = { name: login, email: `${login}@users.noreply.github.com`, date };
    return { sha, commit: { author: person, committer: person, message: `${state.record.title} (${i + 1}/${count})` }, author: { login, type: 'User' }, committer: { login, type: 'User' }, parents: [] };
  });
}
