import { createHash } from 'node:crypto';
import { DAY, HOUR, atMost, sourceCells, SOURCE_COLUMNS, type SeedContext } from './context.js';
import { TEAMS } from './product.js';

const REPOS = ['web', 'api', 'mobile', 'ingest', 'billing', 'search', 'infra', 'design-system', 'analytics', 'auth'];
const AUTHORS = ['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'frances'];

interface Deploy { id: string; at: number }

/** GitHub's REST timestamps: ISO 8601 in UTC to the second ('2026-11-02T09:14:05Z'). */
export function githubTime(at: Date | number): string {
  return new Date(Math.floor(Number(at) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A 40-hex git object id derived from a name: stable, so the same world has the same commits. */
export function gitSha(name: string): string {
  return createHash('sha1').update(name).digest('hex');
}

/** GitHub's id of the i-th repository. */
const repositoryExternalId = (i: number) => 600_000_000 + i * 37;
/** The branch a pull request was opened from: the feature's key first when it has one (`pg-123-add-query`). */
const branchName = (author: string, title: string, key: string | null) =>
  `${author}/${key ? `${key.toLowerCase()}-` : ''}${title.replace(/^[A-Z][A-Z0-9]*-\d+: /, '').toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** GitHub repositories, deployments (mostly production, about one in ten failing and later restored) and pull requests. */
export async function seedEngineering(ctx: SeedContext): Promise<number> {
  const random = ctx.random('engineering');
  const org = `${ctx.tenant}-inc`;
  let total = 0;

  function* repositories() {
    for (let i = 0; i < ctx.volumes.repositories; i++) {
      const id = ctx.id('repository', i);
      const name = `${REPOS[i % REPOS.length]}${i >= REPOS.length ? `-${Math.floor(i / REPOS.length) + 1}` : ''}`;
      const fullName = `${org}/${name}`;
      ctx.repositories.push({ id, fullName });
      const externalId = String(repositoryExternalId(i));
      const createdAt = new Date(ctx.today - random.int(400, 2_000) * DAY);
      const pushedAt = new Date(ctx.today - random.int(1, 48) * HOUR);
      const team = random.pick(TEAMS);
      yield [ctx.tenant, id, fullName, team, 'main', ...sourceCells(ctx, {
        vendor: 'github', externalId, url: `https://github.com/${fullName}`, createdAt, updatedAt: pushedAt,
        raw: {
          id: Number(externalId), name, full_name: fullName, owner: { login: org, type: 'Organization' }, private: true, visibility: 'private',
          html_url: `https://github.com/${fullName}`, description: null, fork: false, archived: false, disabled: false, default_branch: 'main',
          created_at: githubTime(createdAt), updated_at: githubTime(pushedAt), pushed_at: githubTime(pushedAt),
          // The owning team is an organization custom property of the repository.
          custom_properties: { team },
        },
      })];
    }
  }
  total += await ctx.write('engineering.repositories', ['tenant_id', 'id', 'full_name', 'team', 'default_branch', ...SOURCE_COLUMNS], repositories());

  // A production deployment ships the release whose train leaves next; merged PRs ship with the next production deploy.
  const releases = ctx.releases.filter((r) => r.releasedAt).map((r) => ({ id: r.id, at: r.releasedAt!.getTime() })).sort((a, b) => a.at - b.at);
  const productionByRepo: Deploy[][] = ctx.repositories.map(() => []);
  function* deployments() {
    for (let i = 0; i < ctx.volumes.deployments; i++) {
      const repo = random.int(0, ctx.repositories.length - 1);
      const at = ctx.today - Math.floor(random.next() * 365 * DAY);
      const environment = random.weighted({ production: 80, staging: 15, preview: 5 });
      const failed = random.chance(0.1);
      const id = ctx.id('deployment', i);
      if (environment === 'production') productionByRepo[repo].push({ id, at });
      const release = environment === 'production' ? releases.find((r) => r.at >= at) ?? null : null;
      const externalId = String(1_200_000_000 + i * 13);
      const deployedAt = new Date(at);
      const restoredAt = failed ? atMost(ctx, at + random.int(10, 720) * 60_000) : null;
      const { fullName } = ctx.repositories[repo];
      const sha = random.hex(40);
      const updatedAt = restoredAt ?? deployedAt;
      yield [ctx.tenant, id, ctx.repositories[repo].id, release?.id ?? null, environment, failed ? 'failure' : 'success', sha, deployedAt, restoredAt,
        ...sourceCells(ctx, {
          vendor: 'github', externalId, url: `https://github.com/${fullName}/deployments/${environment}`, createdAt: deployedAt, updatedAt,
          raw: {
            id: Number(externalId), sha, ref: 'main', task: 'deploy', payload: {}, original_environment: environment, environment, description: null,
            creator: { login: 'deploy-bot', type: 'Bot' }, created_at: githubTime(deployedAt), updated_at: githubTime(updatedAt),
            transient_environment: environment === 'preview', production_environment: environment === 'production',
            // GitHub lists a deployment's statuses newest first. Service restored after a failure marks it inactive.
            statuses: deploymentStatuses(Number(externalId), environment, failed, deployedAt, restoredAt),
          },
        })];
    }
  }
  total += await ctx.write('engineering.deployments', ['tenant_id', 'id', 'repository_id', 'release_id', 'environment', 'status', 'sha', 'deployed_at', 'restored_at', ...SOURCE_COLUMNS], deployments());
  for (const list of productionByRepo) list.sort((a, b) => a.at - b.at);

  total += await ctx.write('engineering.pull_requests',
    ['tenant_id', 'id', 'repository_id', 'feature_id', 'deployment_id', 'number', 'title', 'state', 'author', 'opened_at', 'first_commit_at', 'merged_at', 'closed_at', 'additions', 'deletions', ...SOURCE_COLUMNS],
    pullRequests(ctx, productionByRepo));
  return total;
}

function deploymentStatuses(deploymentId: number, environment: string, failed: boolean, deployedAt: Date, restoredAt: Date | null) {
  const status = (n: number, state: string, at: Date, description: string) =>
    ({ id: deploymentId * 10 + n, state, description, environment, creator: { login: 'deploy-bot', type: 'Bot' }, created_at: githubTime(at), updated_at: githubTime(at) });
  if (!failed) return [status(1, 'success', deployedAt, 'Deployment finished')];
  return [...(restoredAt ? [status(2, 'inactive', restoredAt, 'Service restored')] : []), status(1, 'failure', deployedAt, 'Deployment failed')];
}

interface PullRequestPlan { feature: SeedContext['features'][number] | null; repo: number; openedAt: number; state: 'open' | 'closed' | 'merged'; mergedAt: number | null }

/**
 * Pull requests: most belong to a feature (released ones merged before their release, features
 * in progress still open or recently merged), numbered per repository in the order they opened.
 */
function* pullRequests(ctx: SeedContext, productionByRepo: Deploy[][]) {
  const random = ctx.random('pull-requests');
  const linkable = ctx.features.filter((f) => f.status === 'released' || f.status === 'in_progress');
  const plans: PullRequestPlan[] = [];
  for (let i = 0; i < ctx.volumes.pullRequests; i++) {
    const feature = linkable.length && random.chance(0.85) ? linkable[random.int(0, linkable.length - 1)] : null;
    const repo = random.int(0, ctx.repositories.length - 1);
    let openedAt: number;
    let state: PullRequestPlan['state'];
    let mergedAt: number | null = null;
    if (feature?.releasedAt) {
      const releasedAt = Math.min(feature.releasedAt.getTime(), ctx.today);
      openedAt = releasedAt - random.int(2 * 24, 60 * 24) * HOUR;
      state = random.chance(0.92) ? 'merged' : 'closed';
      if (state === 'merged') mergedAt = Math.min(releasedAt - HOUR, openedAt + random.int(2, 36) * HOUR);
    } else {
      openedAt = ctx.today - Math.floor(random.next() * (feature ? 45 : 365) * DAY);
      state = random.weighted({ merged: 55, open: 33, closed: 12 });
      const doneAt = openedAt + random.int(2, 240) * HOUR;
      // Not finished yet by "now": still open.
      if (doneAt > ctx.today) state = 'open';
      else if (state === 'merged') mergedAt = doneAt;
    }
    plans.push({ feature, repo, openedAt, state, mergedAt });
  }
  plans.sort((a, b) => a.openedAt - b.openedAt);
  const numbers = ctx.repositories.map(() => 100);
  for (const [i, { feature, repo, openedAt, state, mergedAt }] of plans.entries()) {
    const number = ++numbers[repo];
    const shippedWith = mergedAt === null ? null : productionByRepo[repo].find((d) => d.at >= mergedAt) ?? null;
    const title = `${feature ? `${feature.key}: ` : ''}${random.pick(['Add', 'Fix', 'Refactor', 'Speed up', 'Remove', 'Test'])} ${random.pick(['query', 'handler', 'view', 'job', 'migration', 'endpoint', 'flag'])}`;
    const closedAt = state === 'merged' ? mergedAt : state === 'closed' ? Math.min(ctx.today, openedAt + random.int(4, 240) * HOUR) : null;
    const externalId = String(2_100_000_000 + i * 11);
    const { fullName, id: repositoryId } = ctx.repositories[repo];
    const author = random.pick(AUTHORS);
    const url = `https://github.com/${fullName}/pull/${number}`;
    const updatedAt = new Date(closedAt ?? atMost(ctx, openedAt + random.int(1, 96) * HOUR).getTime());
    const firstCommitAt = new Date(openedAt - random.int(0, 72) * HOUR);
    const additions = random.int(1, 800);
    const deletions = random.int(0, 400);
    const org = fullName.split('/')[0];
    const branch = branchName(author, title, feature?.key ?? null);
    yield [ctx.tenant, ctx.id('pull-request', i), repositoryId, feature?.id ?? null, shippedWith?.id ?? null, number, title, state, author,
      new Date(openedAt), firstCommitAt, mergedAt === null ? null : new Date(mergedAt), closedAt === null ? null : new Date(closedAt),
      additions, deletions,
      ...sourceCells(ctx, {
        vendor: 'github', externalId, url, createdAt: new Date(openedAt), updatedAt,
        raw: {
          url: `https://api.github.com/repos/${fullName}/pulls/${number}`, id: Number(externalId), html_url: url, number,
          state: state === 'open' ? 'open' : 'closed', locked: false, title, user: { login: author, type: 'User' }, body: null,
          created_at: githubTime(openedAt), updated_at: githubTime(updatedAt), closed_at: closedAt === null ? null : githubTime(closedAt),
          merged_at: mergedAt === null ? null : githubTime(mergedAt), merge_commit_sha: mergedAt === null ? null : gitSha(`merge:${externalId}`),
          draft: false, author_association: 'MEMBER',
          head: { label: `${org}:${branch}`, ref: branch, sha: gitSha(`head:${externalId}`) },
          base: { label: `${org}:main`, ref: 'main', sha: gitSha(`base:${externalId}`), repo: { id: repositoryExternalId(repo), name: fullName.split('/')[1], full_name: fullName } },
          merged: mergedAt !== null, comments: 0, review_comments: 0, commits: 1 + (number % 5), additions, deletions, changed_files: 1 + ((additions + deletions) % 9),
        },
      })];
  }
}
