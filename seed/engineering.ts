import { copyRows } from './copy.js';
import { DAY, HOUR, SOURCE_COLUMNS, daysAgo, type SeedContext } from './context.js';

const REPOS = ['web', 'api', 'mobile', 'ingest', 'billing', 'search', 'infra', 'design-system', 'analytics', 'auth'];

/** GitHub repositories, deployments (about one in ten fails, then is restored) and pull requests. */
export async function seedEngineering(ctx: SeedContext): Promise<number> {
  const random = ctx.random('engineering');
  const org = `${ctx.tenant}-inc`;
  let total = 0;

  const repoRows = [];
  for (let i = 0; i < ctx.volumes.repositories; i++) {
    const id = ctx.id('repository', i);
    const fullName = `${org}/${REPOS[i % REPOS.length]}${i >= REPOS.length ? `-${Math.floor(i / REPOS.length)}` : ''}`;
    ctx.repositories.push({ id, fullName });
    const externalId = String(500_000_000 + i);
    repoRows.push([ctx.tenant, id, fullName, random.pick(['growth', 'platform', 'insights', 'core', 'mobile']), 'main',
      'github', externalId, `https://github.com/${fullName}`, ctx.anchor, daysAgo(ctx, 1), { id: Number(externalId), full_name: fullName, default_branch: 'main' }]);
  }
  total += await copyRows(ctx.url, 'engineering.repositories', ['tenant_id', 'id', 'full_name', 'team', 'default_branch', ...SOURCE_COLUMNS], repoRows);

  // Deployments in time order per repository, so a merged PR ships with the next production deploy.
  const releases = ctx.releases.filter((r) => r.releasedAt).sort((a, b) => a.releasedAt!.getTime() - b.releasedAt!.getTime());
  const deploys: { id: string; repo: number; at: number; production: boolean }[] = [];
  const deployRows = [];
  for (let i = 0; i < ctx.volumes.deployments; i++) {
    const repo = random.int(0, ctx.repositories.length - 1);
    const at = ctx.anchor.getTime() - random.next() * 365 * DAY;
    const production = random.chance(0.85);
    const failed = random.chance(0.1);
    const release = releases.find((r) => r.releasedAt!.getTime() >= at) ?? null;
    const id = ctx.id('deployment', i);
    deploys.push({ id, repo, at, production });
    const externalId = String(1_000_000_000 + i);
    const restoredAt = failed ? new Date(Math.min(ctx.anchor.getTime(), at + random.int(1, 24) * HOUR / 2)) : null;
    deployRows.push([ctx.tenant, id, ctx.repositories[repo].id, release?.id ?? null, production ? 'production' : 'staging', failed ? 'failure' : 'success',
      random.hex(40), new Date(at), restoredAt,
      'github', externalId, `https://github.com/${ctx.repositories[repo].fullName}/deployments`, ctx.anchor, new Date(at),
      { id: Number(externalId), environment: production ? 'production' : 'staging', created_at: new Date(at).toISOString() }]);
  }
  total += await copyRows(ctx.url, 'engineering.deployments', ['tenant_id', 'id', 'repository_id', 'release_id', 'environment', 'status', 'sha', 'deployed_at', 'restored_at', ...SOURCE_COLUMNS], deployRows);
  const productionByRepo = ctx.repositories.map((_, r) => deploys.filter((d) => d.repo === r && d.production).sort((a, b) => a.at - b.at));

  const candidates = ctx.features;
  const prRows = [];
  for (let i = 0; i < ctx.volumes.pullRequests; i++) {
    const repo = random.int(0, ctx.repositories.length - 1);
    const feature = random.chance(0.9) ? candidates[random.int(0, candidates.length - 1)] : null;
    const openedAt = ctx.anchor.getTime() - random.next() * 365 * DAY;
    const state = random.weighted({ merged: 70, open: 18, closed: 12 });
    const mergedAt = state === 'merged' ? Math.min(ctx.anchor.getTime(), openedAt + random.int(2, 240) * HOUR) : null;
    const shippedWith = mergedAt ? productionByRepo[repo].find((d) => d.at >= mergedAt) ?? null : null;
    const number = 1_000 + i;
    const title = `${feature ? `${feature.key}: ` : ''}${random.pick(['Add', 'Fix', 'Refactor', 'Speed up', 'Remove'])} ${random.pick(['query', 'handler', 'view', 'job', 'migration', 'tests'])}`;
    const externalId = String(2_000_000_000 + i);
    const updated = new Date(mergedAt ?? openedAt);
    prRows.push([ctx.tenant, ctx.id('pull-request', i), ctx.repositories[repo].id, feature?.id ?? null, shippedWith?.id ?? null, number, title, state,
      random.pick(['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara']), new Date(openedAt), new Date(openedAt - random.int(0, 72) * HOUR),
      mergedAt ? new Date(mergedAt) : null, state === 'closed' ? new Date(Math.min(ctx.anchor.getTime(), openedAt + 48 * HOUR)) : mergedAt ? new Date(mergedAt) : null,
      random.int(1, 800), random.int(0, 400),
      'github', externalId, `https://github.com/${ctx.repositories[repo].fullName}/pull/${number}`, ctx.anchor, updated,
      { id: Number(externalId), number, state: state === 'open' ? 'open' : 'closed', title, merged_at: mergedAt ? new Date(mergedAt).toISOString() : null }]);
  }
  total += await copyRows(ctx.url, 'engineering.pull_requests', ['tenant_id', 'id', 'repository_id', 'feature_id', 'deployment_id', 'number', 'title', 'state', 'author', 'opened_at', 'first_commit_at', 'merged_at', 'closed_at', 'additions', 'deletions', ...SOURCE_COLUMNS], prRows);
  return total;
}
