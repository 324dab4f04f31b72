import { computed, integer, MappingError, oneOf, text, timestamp, type TableMapping } from '../../../../sync/mapping.js';
import type { RepositoryRef } from './repositories.js';

/** The repository a deployment was listed under (a deployment names it only by API URL). Not kept in `raw`. */
export const REPOSITORY = Symbol('github repository');
/** The author date of a pull request's first commit, from its commit listing. Not kept in `raw`. */
export const FIRST_COMMIT_AT = Symbol('github first commit');

type Tagged = Record<string | symbol, unknown>;

function time(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/** A record's own creation time; one that cannot be read is reported by the column that holds it. */
function createdAt(path: string) {
  return computed((record: Record<string, unknown>) => (Number.isNaN(time(record[path])) ? null : new Date(record[path] as string)));
}

/** The newest of several GitHub times on a record (a repository is changed by pushes too). */
function newest(...paths: string[]) {
  return computed((record: Record<string, unknown>) => {
    const times = paths.map((p) => time(record[p])).filter((t) => !Number.isNaN(t));
    return times.length ? new Date(Math.max(...times)) : null;
  });
}

export const repositoryMapping: TableMapping = {
  table: 'engineering.repositories',
  entity: 'Repository',
  externalId: text('id') as TableMapping['externalId'],
  url: text('html_url', { optional: true }),
  createdAt: timestamp('created_at', { optional: true }),
  updatedAt: newest('updated_at', 'pushed_at'),
  columns: {
    full_name: text('full_name'),
    // The owning team is the organisation's `team` custom property, when it defines one.
    team: text('custom_properties.team', { optional: true }),
    default_branch: text('default_branch', { default: 'main' }),
  },
};

const pullState = oneOf('state', { open: 'open', closed: 'closed' });

export const pullRequestMapping: TableMapping = {
  table: 'engineering.pull_requests',
  entity: 'PullRequest',
  externalId: text('id') as TableMapping['externalId'],
  url: text('html_url', { optional: true }),
  createdAt: createdAt('created_at'),
  updatedAt: timestamp('updated_at'),
  columns: {
    number: integer('number', { min: 1 }),
    title: text('title'),
    // GitHub's state is open or closed; a closed pull request with `merged_at` was merged.
    state: computed((p: Tagged, ctx) => (typeof p.merged_at === 'string' && p.merged_at ? 'merged' : pullState.read(p, ctx))),
    author: text('user.login', { optional: true }),
    opened_at: timestamp('created_at'),
    first_commit_at: computed((p: Tagged) => {
      const at = p[FIRST_COMMIT_AT];
      if (at === undefined || at === null) return null;
      if (Number.isNaN(time(at))) throw new MappingError('commits.0.commit.author.date', `expected a date-time, got ${JSON.stringify(at).slice(0, 60)}`);
      return new Date(at as string);
    }),
    merged_at: timestamp('merged_at', { optional: true }),
    closed_at: timestamp('closed_at', { optional: true }),
    additions: integer('additions', { min: 0, default: 0 }),
    deletions: integer('deletions', { min: 0, default: 0 }),
  },
  refs: { repository_id: { from: text('base.repo.id'), table: 'engineering.repositories', required: true } },
};

export type DeploymentStatusValue = 'success' | 'failure' | 'in_progress';

/** What a deployment status state says about the deployment; `inactive` says nothing of its outcome. */
const OUTCOME: Record<string, DeploymentStatusValue | null> = {
  success: 'success', failure: 'failure', error: 'failure', in_progress: 'in_progress', queued: 'in_progress', pending: 'in_progress', inactive: null,
};

interface StatusRecord { id?: unknown; state?: unknown; created_at?: unknown }

/**
 * A deployment's outcome from its statuses: the newest status other than `inactive` (none yet:
 * in progress; `error` is a failed deployment). A failed deployment is restored when it is next
 * marked `inactive`: the deploy tooling retires it once service is back.
 */
export function deploymentOutcome(statuses: unknown): { status: DeploymentStatusValue; restoredAt: Date | null } {
  if (!Array.isArray(statuses)) throw new MappingError('statuses', 'expected a list of deployment statuses');
  const ordered = (statuses as StatusRecord[]).map((s, i) => {
    const state = typeof s?.state === 'string' ? s.state : '';
    if (!(state in OUTCOME)) throw new MappingError(`statuses.${i}.state`, `"${String(s?.state).slice(0, 40)}" is not one of ${Object.keys(OUTCOME).map((k) => `"${k}"`).join(', ')}`);
    const at = time(s.created_at);
    if (Number.isNaN(at)) throw new MappingError(`statuses.${i}.created_at`, 'expected a date-time');
    return { state, at, id: typeof s.id === 'number' ? s.id : 0 };
  }).sort((a, b) => a.at - b.at || a.id - b.id);
  let outcome: { status: DeploymentStatusValue; index: number } = { status: 'in_progress', index: -1 };
  ordered.forEach((s, index) => { if (OUTCOME[s.state]) outcome = { status: OUTCOME[s.state]!, index }; });
  const restored = outcome.status === 'failure' ? ordered.slice(outcome.index + 1).find((s) => s.state === 'inactive') : undefined;
  return { status: outcome.status, restoredAt: restored ? new Date(restored.at) : null };
}

const repositoryOf = (d: Tagged) => d[REPOSITORY] as RepositoryRef | undefined;

export const deploymentMapping: TableMapping = {
  table: 'engineering.deployments',
  entity: 'Deployment',
  externalId: text('id') as TableMapping['externalId'],
  url: computed((d: Tagged) => {
    const repository = repositoryOf(d);
    return repository && typeof d.environment === 'string' ? `${repository.htmlUrl}/deployments/${encodeURIComponent(d.environment)}` : null;
  }),
  createdAt: createdAt('created_at'),
  // A new status changes the deployment (a restore comes long after it was made).
  updatedAt: computed((d: Tagged) => {
    const times = [time(d.updated_at), ...(Array.isArray(d.statuses) ? (d.statuses as StatusRecord[]).map((s) => time(s?.created_at)) : [])].filter((t) => !Number.isNaN(t));
    return times.length ? new Date(Math.max(...times)) : null;
  }),
  columns: {
    environment: text('environment'),
    status: computed((d: Tagged) => deploymentOutcome(d.statuses).status),
    sha: text('sha', { optional: true }),
    deployed_at: timestamp('created_at'),
    // Statuses that cannot be read are reported once, by `status`.
    restored_at: computed((d: Tagged) => {
      try {
        return deploymentOutcome(d.statuses).restoredAt;
      } catch {
        return null;
      }
    }),
  },
  refs: {
    repository_id: { from: computed((d: Tagged) => (repositoryOf(d) ? String(repositoryOf(d)!.id) : null)), table: 'engineering.repositories', required: true },
  },
};
