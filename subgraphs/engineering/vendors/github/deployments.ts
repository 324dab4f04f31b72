import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { deploymentById, repositoryPath, withStatuses } from './deployment-statuses.js';
import { linkDeployments } from './links.js';
import { listingPage, withQuery } from './listing.js';
import { deploymentMapping, deploymentOutcome } from './mapping.js';
import { organizationRepositories, type RepositoryRef } from './repositories.js';
import { githubSettings } from './settings.js';

/** Where one repository's deployments stand. */
export interface RepositoryDeployments {
  /** The newest deployment id stored: GitHub numbers deployments in the order they are made. */
  newestId: number | null;
  /** A walk down the listing under way: it stops at `floorId` (or before `since`), has seen up to `newestId`, reads `next` next. */
  walk?: { floorId: number | null; since: string | null; newestId: number | null; next: string };
  /** Deployments whose outcome may still change (in progress, or failed and not yet restored): [id, created_at]. */
  open: [number, string][];
}

/** By repository id. */
export interface DeploymentCursor { repositories: Record<string, RepositoryDeployments> }

type Listed = { id?: unknown; created_at?: unknown; statuses?: unknown };

function isOpen(deployment: Listed): boolean {
  try {
    const { status, restoredAt } = deploymentOutcome(deployment.statuses);
    return status === 'in_progress' || (status === 'failure' && restoredAt === null);
  } catch {
    return false;
  }
}

/**
 * `GET /repos/{owner}/{repo}/deployments` lists newest first and has no modification filter; a
 * deployment's outcome lives in its statuses, which change after it is made (a failure is
 * restored hours later). So each run reads, per repository, the deployments made since the newest
 * id stored (a first or full sync: since `since`; a reconciliation: all), each with its statuses,
 * and reads again the ones whose outcome could still change, remembered in the cursor for
 * `watchDays`. Pages are stored with the walk's next `Link`, so an interrupted walk resumes.
 */
export const deployments: Stream<DeploymentCursor> = {
  name: 'deployments',
  mapping: deploymentMapping,
  afterWrite: (trx, written) => linkDeployments(trx, written.tenantId, written.rows),
  async *read(ctx: ReadContext<DeploymentCursor>): AsyncIterable<Page<DeploymentCursor>> {
    const settings = githubSettings(ctx.config);
    const cursor: DeploymentCursor = structuredClone(ctx.cursor ?? { repositories: {} });
    const watchFrom = Date.now() - settings.watchDays * 86_400_000;
    const snapshot = () => structuredClone(cursor);

    async function* walkRepository(repository: RepositoryRef, state: RepositoryDeployments | undefined): AsyncGenerator<Page<DeploymentCursor>> {
      const key = String(repository.id);
      const open = new Map((state?.open ?? []).filter(([, created]) => Date.parse(created) >= watchFrom));
      let walk = state?.walk ?? {
        floorId: ctx.mode === 'incremental' ? state?.newestId ?? null : null,
        since: ctx.mode === 'reconcile' || (ctx.mode === 'incremental' && state?.newestId != null) ? null : ctx.since.toISOString(),
        newestId: null,
        next: withQuery(`${repositoryPath(repository)}/deployments`, { per_page: settings.pageSize }),
      };
      for (;;) {
        const page = await listingPage(ctx.http, walk.next);
        if (!page) {
          delete cursor.repositories[key];
          yield { records: [], cursor: snapshot() };
          return;
        }
        const items = page.items as Listed[];
        const since = walk.since === null ? -Infinity : Date.parse(walk.since);
        const fresh = items.filter((d) => !(typeof d?.id === 'number' && walk.floorId !== null && d.id <= walk.floorId)
          && !(typeof d?.created_at === 'string' && Date.parse(d.created_at) < since));
        const records = await withStatuses(ctx.http, repository, fresh, settings.concurrency);
        let newestId = walk.newestId;
        for (const d of records as Listed[]) {
          if (typeof d.id !== 'number') continue;
          newestId = Math.max(newestId ?? d.id, d.id);
          const created = typeof d.created_at === 'string' ? Date.parse(d.created_at) : NaN;
          if (isOpen(d) && created >= watchFrom) open.set(d.id, d.created_at as string);
          else open.delete(d.id);
        }
        // Newest first: an id at or below the one stored ends the walk; so does a page made wholly before `since`.
        const reachedStored = items.some((d) => typeof d?.id === 'number' && walk.floorId !== null && d.id <= walk.floorId);
        const allBefore = items.length > 0 && items.every((d) => typeof d?.created_at === 'string' && Date.parse(d.created_at) < since);
        const done = reachedStored || allBefore || !page.next;
        walk = { ...walk, newestId, next: page.next ?? walk.next };
        const storedId = state?.newestId ?? null;
        cursor.repositories[key] = {
          newestId: done ? (storedId === null ? newestId : Math.max(storedId, newestId ?? storedId)) : storedId,
          ...(done ? {} : { walk }),
          open: [...open],
        };
        yield { records, cursor: snapshot() };
        if (done) break;
      }
      if (ctx.mode !== 'incremental') return;
      // Deployments made before this walk whose outcome could still change: read again by id.
      const recheck = [...open.keys()].filter((id) => walk.floorId !== null && id <= walk.floorId);
      if (!recheck.length) return;
      const records: unknown[] = [];
      for (const id of recheck) {
        const deployment = await deploymentById(ctx.http, repository, id);
        if (deployment) records.push(deployment);
        if (!deployment || !isOpen(deployment)) open.delete(id);
      }
      cursor.repositories[key] = { ...cursor.repositories[key], open: [...open] };
      yield { records, cursor: snapshot() };
    }

    for (const repository of await organizationRepositories(ctx.http, settings)) {
      const state = cursor.repositories[String(repository.id)];
      if (ctx.mode === 'reconcile' && state && !state.walk) continue;
      yield* walkRepository(repository, state);
    }
  },
};
