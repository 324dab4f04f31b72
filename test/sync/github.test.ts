import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../simulators/github/index.js';
import type { PullRequestState } from '../../simulators/github/records.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import { github as connector } from '../../subgraphs/engineering/vendors/github/connector.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { expectVisibleFailure, syncHarness, type SyncHarness } from '../support/sync.js';

const PAGE_SIZE = 10;
type Row = Record<string, unknown>;

/** GitHub's times are to the second: the generator's are compared at that precision. */
const second = (d: unknown) => (d instanceof Date ? new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString() : null);

describe('the GitHub connector against the GitHub simulator', () => {
  let harness: SyncHarness;
  let world: World;
  let github: GitHubSimulator;
  let connection: ConnectionRow;

  const table = (name: string) => harness.rows(`engineering.${name}`);
  const connectionState = () => harness.db.selectFrom('integrations.connections').select(['status', 'last_error'])
    .where('id', '=', connection.id).executeTakeFirstOrThrow();
  const featureByKey = (key: string) => world.rows('product.features').find((f) => f.key === key)!.id;

  /** Rows as compared: references by the referenced row's GitHub id, times to the second. */
  async function views() {
    const [repositories, deployments, pulls] = await Promise.all([table('repositories'), table('deployments'), table('pull_requests')]);
    const repositoryOf = new Map(repositories.map((r) => [r.id, r.external_id]));
    const deploymentOf = new Map(deployments.map((d) => [d.id, d.external_id]));
    return {
      repositories: repositories.map((r) => [r.external_id, r.full_name, r.team, r.default_branch, r.url, second(r.created_at), second(r.vendor_updated_at)]),
      deployments: deployments.map((d) => [d.external_id, repositoryOf.get(d.repository_id), d.release_id, d.environment, d.status, d.sha, second(d.deployed_at), second(d.restored_at), d.url]),
      pulls: pulls.map((p) => [p.external_id, repositoryOf.get(p.repository_id), p.feature_id, deploymentOf.get(p.deployment_id) ?? null, p.number, p.title, p.state, p.author,
        second(p.opened_at), second(p.first_commit_at), second(p.merged_at), second(p.closed_at), p.additions, p.deletions, p.url]),
    };
  }

  function worldViews() {
    const repositoryOf = new Map(world.rows('engineering.repositories').map((r) => [r.id, r.external_id]));
    const deploymentOf = new Map(world.rows('engineering.deployments').map((d) => [d.id, d.external_id]));
    return {
      repositories: world.rows('engineering.repositories').map((r) => [r.external_id, r.full_name, r.team, r.default_branch, r.url, second(r.created_at), second(r.updated_at)]),
      deployments: world.rows('engineering.deployments').map((d) => [d.external_id, repositoryOf.get(d.repository_id), d.release_id, d.environment, d.status, d.sha, second(d.deployed_at), second(d.restored_at), d.url]),
      pulls: world.rows('engineering.pull_requests').map((p) => [p.external_id, repositoryOf.get(p.repository_id), p.feature_id, deploymentOf.get(p.deployment_id) ?? null, p.number, p.title, p.state, p.author,
        second(p.opened_at), second(p.first_commit_at), second(p.merged_at), second(p.closed_at), p.additions, p.deletions, p.url]),
    };
  }

  const pull = async (id: number) => (await table('pull_requests')).find((p) => p.external_id === String(id))!;
  const deployment = async (id: number) => (await table('deployments')).find((d) => d.external_id === String(id))!;
  const pullsOf = (fullName: string) => {
    const repository = [...github.repositories.values()].find((r) => r.record.full_name === fullName)!;
    return [...github.pullRequests.values()].filter((p) => p.repositoryId === repository.record.id);
  };
  const newestFirst = (pulls: PullRequestState[]) => [...pulls].sort((a, b) => (a.record.updated_at < b.record.updated_at ? 1 : -1));

  beforeAll(async () => {
    harness = await syncHarness('sync-github', { timeoutMs: 1_500 });
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', skip: ['analytics.usage_events'] });
    github = await startGitHubSimulator(world);
    // Features and releases come from the product tools: the generator's stand in for their syncs.
    await sql`insert into product.releases (tenant_id, id, name, released, released_at, vendor, external_id)
      select ${harness.tenant}, x.id::uuid, x.name, x.released, x.released_at::timestamptz, x.vendor, x.external_id
      from jsonb_to_recordset(${JSON.stringify(world.rows('product.releases'))}::jsonb) as x(id text, name text, released boolean, released_at text, vendor text, external_id text)`.execute(harness.db);
    await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
      select ${harness.tenant}, x.id::uuid, x.key, x.name, x.status, x.vendor, x.external_id
      from jsonb_to_recordset(${JSON.stringify(world.rows('product.features'))}::jsonb) as x(id text, key text, name text, status text, vendor text, external_id text)`.execute(harness.db);
    connection = await harness.connect('github', {
      baseUrl: github.url, credentials: github.credentials, config: { ...github.config, pageSize: PAGE_SIZE, concurrency: 8, requestsPerSecond: 2_000 },
    });
  });
  afterAll(async () => {
    await github?.close();
    await harness?.close();
  });

  it('a first sync stores every repository, deployment and pull request as the generator made them, linked to features, releases and shipping deployments', async () => {
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['repositories', 'succeeded', 0], ['deployments', 'succeeded', 0], ['pull_requests', 'succeeded', 0]]);
    const actual = await views();
    const expected = worldViews();
    expect(actual.repositories.sort()).toEqual(expected.repositories.sort());
    expect(actual.deployments.sort()).toEqual(expected.deployments.sort());
    expect(actual.pulls.sort()).toEqual(expected.pulls.sort());
    // The links are not trivially empty.
    expect(actual.pulls.filter((p) => p[2] !== null).length).toBeGreaterThan(200);
    expect(actual.pulls.filter((p) => p[3] !== null).length).toBeGreaterThan(100);
    expect(actual.deployments.filter((d) => d[2] !== null).length).toBeGreaterThan(50);
    expect(actual.deployments.filter((d) => d[7] !== null).length).toBeGreaterThan(5);
  });

  it('an incremental sync reads only what changed: a retitled pull request, a new one linked by its branch, a failed deployment', async () => {
    const [repository] = [...github.repositories.values()].map((r) => r.record.full_name as string).sort();
    const retitled = pullsOf(repository).find((p) => p.record.state === 'open')!;
    github.updatePullRequest(retitled.record.id, { title: 'PG-101: Add handler' });
    const added = github.addPullRequest(repository, { title: 'Tidy the importer', branch: 'grace/pg-102-tidy-importer', author: 'grace' });
    const failed = github.addDeployment(repository, { environment: 'production', state: 'failure' });
    const before = github.faults.stats.requests;

    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.changed, r.recordErrors])).toEqual([
      ['repositories', 'succeeded', 0, 0], ['deployments', 'succeeded', 1, 0], ['pull_requests', 'succeeded', 2, 0],
    ]);
    // One page per repository and the details of what changed (and of the newest, read again at the cursor's second).
    const pullsRun = runs[2];
    expect(pullsRun.read).toBeLessThan(2 * github.repositories.size + 2);
    expect(github.faults.stats.requests - before).toBeLessThan(80);

    expect(await pull(retitled.record.id)).toMatchObject({ title: 'PG-101: Add handler', feature_id: featureByKey('PG-101') });
    expect(await pull(added.id)).toMatchObject({ title: 'Tidy the importer', state: 'open', author: 'grace', feature_id: featureByKey('PG-102'), deployment_id: null });
    expect(await deployment(failed.id)).toMatchObject({ environment: 'production', status: 'failure', restored_at: null });
  });

  it('reads again a failed deployment until it is restored, and links a merged pull request to the deployment that ships it', async () => {
    const [repository] = [...github.repositories.values()].map((r) => r.record.full_name as string).sort();
    const failed = [...github.deployments.values()].filter((d) => d.statuses[0]?.state === 'failure').sort((a, b) => b.record.id - a.record.id)[0];
    const restoredAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    github.addDeploymentStatus(failed.record.id, 'inactive', restoredAt);
    const branchOnly = pullsOf(repository).find((p) => p.record.title === 'Tidy the importer')!;
    const mergedAt = new Date(restoredAt.getTime() + 1_000);
    github.mergePullRequest(branchOnly.record.id, mergedAt);
    const shipped = github.addDeployment(repository, { environment: 'production', state: 'success' }, new Date(mergedAt.getTime() + 1_000));
    // A Jira version knows only its release day: a production deployment that day ships with it.
    const today = new Date().toISOString().slice(0, 10);
    const { rows: [release] } = await sql<{ id: string }>`insert into product.releases (tenant_id, id, name, released, release_date, vendor, external_id)
      values (${harness.tenant}, gen_random_uuid(), 'v9.9.0', true, ${today}::date, 'jira', '19999') returning id`.execute(harness.db);

    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.changed])).toEqual([['repositories', 'succeeded', 0], ['deployments', 'succeeded', 2], ['pull_requests', 'succeeded', 1]]);
    expect(await deployment(failed.record.id)).toMatchObject({ status: 'failure', restored_at: restoredAt });
    const shippedRow = await deployment(shipped.id);
    expect(shippedRow).toMatchObject({ status: 'success', release_id: release.id });
    expect(await pull(branchOnly.record.id)).toMatchObject({ state: 'merged', merged_at: mergedAt, deployment_id: shippedRow.id });

    // Restored: no longer read again.
    const [next] = await harness.sync(connection, 'incremental', ['deployments']);
    expect(next).toMatchObject({ status: 'succeeded', changed: 0, read: 0 });
  });

  it('loses no pull request changed while the listing walks past it: the next run picks it up', async () => {
    const repository = [...github.repositories.values()].map((r) => r.record.full_name as string).sort()[1];
    const pulls = newestFirst(pullsOf(repository));
    expect(pulls.length).toBeGreaterThan(4 * PAGE_SIZE);
    // 25 older pull requests change a second apart (three pages above the cursor) ...
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const changed = pulls.slice(-25);
    changed.forEach((p, i) => github.updatePullRequest(p.record.id, { title: `${p.record.title} (rebased)` }, new Date(start + i * 1_000)));
    // ... and while page 2 is asked for, the one changed first (on page 3) changes again: it jumps above the pages read.
    const again = changed[0];
    let fired = false;
    github.onPullListing((name, page) => {
      if (fired || name !== repository || page !== 2) return;
      fired = true;
      github.updatePullRequest(again.record.id, { title: 'PG-103: Rebased twice' });
    });
    try {
      const [first] = await harness.sync(connection, 'incremental', ['pull_requests']);
      expect(fired).toBe(true);
      expect(first).toMatchObject({ status: 'succeeded', changed: 24 });
      // This walk could not see it: it sat on a page not yet read, then above the pages already read.
      expect((await pull(again.record.id)).title).toBe(world.rows('engineering.pull_requests').find((p) => p.external_id === String(again.record.id))!.title);
    } finally {
      github.onPullListing(null);
    }
    const [second] = await harness.sync(connection, 'incremental', ['pull_requests']);
    expect(second).toMatchObject({ status: 'succeeded', changed: 1 });
    expect(await pull(again.record.id)).toMatchObject({ title: 'PG-103: Rebased twice', feature_id: featureByKey('PG-103') });
    for (const p of changed.slice(1)) expect((await pull(p.record.id)).title).toBe(p.record.title);
  });

  it('rides out a storm of 429s and a 403 secondary limit, honouring Retry-After, without duplicates', async () => {
    const count = (await table('repositories')).length;
    const limitedBefore = github.faults.stats.rateLimited;
    github.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    let t0 = performance.now();
    const [storm] = await harness.sync(connection, 'full', ['repositories']);
    expect(storm).toMatchObject({ status: 'succeeded', retries: 2 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect(github.faults.stats.rateLimited - limitedBefore).toBe(2);

    github.setSecondaryLimitStatus(403);
    github.faults.set({ rateLimit: { requests: 1, retryAfterSeconds: 1 } });
    t0 = performance.now();
    const [secondary] = await harness.sync(connection, 'full', ['repositories']);
    github.setSecondaryLimitStatus(429);
    expect(secondary).toMatchObject({ status: 'succeeded', retries: 1 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_000);
    const rows = await table('repositories');
    expect(rows.length).toBe(count);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(count);
  });

  it('waits for the primary limit to reset when it is spent, asking once', async () => {
    const before = github.stats.primaryLimited;
    github.exhaustRateLimit(1);
    const t0 = performance.now();
    const [run] = await harness.sync(connection, 'full', ['repositories']);
    expect(run).toMatchObject({ status: 'succeeded', retries: 1 });
    expect(github.stats.primaryLimited - before).toBe(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_000);
  });

  it("reads GitHub's limit signals as its docs say", () => {
    const classify = (status: number, headers: Record<string, string>, body = '') => connector.signals!.classify({ status, headers: new Headers(headers), body });
    const reset = Math.floor(Date.now() / 1000) + 30;
    expect(classify(403, { 'retry-after': '7' })).toMatchObject({ retry: true, waitMs: 7_000 });
    const primary = classify(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    expect(primary).toMatchObject({ retry: true });
    expect((primary as { waitMs: number }).waitMs).toBeGreaterThan(29_000);
    expect(classify(403, { 'x-ratelimit-remaining': '12' }, '{"message":"You have exceeded a secondary rate limit."}')).toMatchObject({ retry: true, waitMs: 60_000 });
    expect(classify(429, {})).toMatchObject({ retry: true, waitMs: 60_000 });
    expect(classify(403, { 'x-ratelimit-remaining': '4999' }, '{"message":"Resource not accessible by integration"}')).toMatchObject({ retry: false });
    expect(classify(502, {})).toBeUndefined();
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes from its cursor, ending as an undisturbed sync', async () => {
    github.faults.set({ serverError: { requests: 2, status: 502 }, slow: { requests: 1, ms: 3_000 } });
    const [ok] = await harness.sync(connection, 'full', ['repositories']);
    expect(ok).toMatchObject({ status: 'succeeded' });
    expect(ok.retries).toBeGreaterThanOrEqual(3);

    const undisturbed = (await views()).pulls;
    await harness.db.deleteFrom('engineering.pull_requests').where('tenant_id', '=', harness.tenant).execute();
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).where('stream', '=', 'pull_requests').execute();
    // Some pages land (each answer a little slow), then GitHub fails for good.
    github.faults.set({ latencyMs: 5 });
    const failing = harness.sync(connection, 'incremental', ['pull_requests']);
    const stored = async () => (await table('pull_requests')).length;
    while ((await stored()) < 3 * PAGE_SIZE) await new Promise((r) => setTimeout(r, 20));
    github.faults.set({ serverError: { requests: 100_000 } });
    const [failed] = await failing;
    await expectVisibleFailure(harness, failed);
    const partial = await stored();
    expect(partial).toBeGreaterThanOrEqual(3 * PAGE_SIZE);
    expect(partial).toBeLessThan(undisturbed.length);

    github.faults.clear();
    const [resumed] = await harness.sync(connection, 'incremental', ['pull_requests']);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.read).toBeLessThan(undisturbed.length);
    expect((await views()).pulls.sort()).toEqual(undisturbed.sort());
    expect(await connectionState()).toMatchObject({ status: 'active', last_error: null });
  });

  it('keeps a malformed record in record errors with its reason while the rest lands; unknown fields are ignored and kept in raw', async () => {
    const [bad] = [...github.deployments.values()];
    github.faults.set({ malformed: [String(bad.record.id)], unknownFields: true });
    const [run] = await harness.sync(connection, 'full', ['deployments']);
    github.faults.clear();
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: github.deployments.size - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: String(bad.record.id), reason: 'created_at: expected a date-time, got "last tuesday"' }]);
    const other = (await table('deployments')).find((d) => d.external_id !== String(bad.record.id))!;
    expect((other.raw as Row).x_preview_field).toEqual({ enabled: true, since: '2026-10-01' });
    expect(Array.isArray((other.raw as Row).statuses)).toBe(true);
  });

  it('a reconciliation removes a deployment and a repository GitHub no longer has, the repository with its pull requests', async () => {
    const names = [...github.repositories.values()].map((r) => r.record.full_name as string).sort();
    const gone = names[names.length - 1];
    const goneId = [...github.repositories.values()].find((r) => r.record.full_name === gone)!.record.id;
    github.removeRepository(gone);
    const deleted = [...github.deployments.values()].find((d) => d.record.environment !== 'production')!;
    github.removeDeployment(deleted.record.id);

    const runs = await harness.sync(connection, 'reconcile');
    expect(runs.map((r) => [r.stream, r.status, r.deleted])).toEqual([['repositories', 'succeeded', 1], ['deployments', 'succeeded', 1], ['pull_requests', 'succeeded', 0]]);
    expect((await table('repositories')).map((r) => r.external_id).sort()).toEqual([...github.repositories.keys()].map(String).sort());
    expect((await table('deployments')).map((d) => d.external_id).sort()).toEqual([...github.deployments.keys()].map(String).sort());
    expect((await table('pull_requests')).map((p) => p.external_id).sort()).toEqual([...github.pullRequests.keys()].map(String).sort());
    expect((await views()).pulls.some((p) => p[1] === String(goneId))).toBe(false);
  });

  it('a revoked token puts the connection in needs_reauth and writes nothing', async () => {
    github.revokeToken();
    const before = await table('pull_requests');
    const runs = await harness.sync(connection, 'full');
    expect(runs[0]).toMatchObject({ status: 'failed' });
    expect(runs[0].error).toMatch(/401/);
    expect(runs.slice(1).every((r) => r.status === 'skipped')).toBe(true);
    expect((await connectionState()).status).toBe('needs_reauth');
    expect(await table('pull_requests')).toEqual(before);
    expect(github.stats.unauthorized).toBe(1);
  });
});
