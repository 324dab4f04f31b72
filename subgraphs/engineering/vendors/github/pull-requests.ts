import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { linkPullRequests } from './links.js';
import { listingPage, withQuery } from './listing.js';
import { pullRequestMapping } from './mapping.js';
import { withDetails } from './pull-request-details.js';
import { organizationRepositories, type RepositoryRef } from './repositories.js';
import { githubSettings, type GitHubSettings } from './settings.js';

/** Where one repository's pull requests stand. */
export interface RepositoryPulls {
  /** Every pull request changed at or before this `updated_at` is stored (null: none yet). */
  storedThrough: string | null;
  /**
   * A walk down the listing under way: it stops below `floor`, has seen changes up to `newest`,
   * and reads `next` (the `Link` GitHub gave) next.
   */
  walk?: { floor: string | null; newest: string | null; next: string };
}

/** By repository id (a repository may be renamed). */
export interface PullRequestCursor { repositories: Record<string, RepositoryPulls> }

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : Date.parse(b) > Date.parse(a) ? b : a);
const updatedAt = (pull: unknown) => {
  const value = (pull as { updated_at?: unknown } | null)?.updated_at;
  return typeof value === 'string' ? Date.parse(value) : NaN;
};

function firstPage(repository: RepositoryRef, settings: GitHubSettings): string {
  const path = `/repos/${repository.fullName.split('/').map(encodeURIComponent).join('/')}/pulls`;
  return withQuery(path, { state: 'all', sort: 'updated', direction: 'desc', per_page: settings.pageSize });
}

/**
 * Pull requests have no `since`: each repository's listing is walked newest change first
 * (`state=all&sort=updated&direction=desc`) down to the newest `updated_at` stored, inclusive
 * (times are to the second, so the second of the cursor is read again; unchanged rows are not
 * rewritten). A repository's cursor moves to the newest change the walk saw only once the walk
 * is through: a pull request changed meanwhile jumps to the top, above the pages already read,
 * and is newer than that cursor, so the next run reads it. Each page is stored with the walk's
 * next `Link`, so an interrupted walk resumes where it stopped (pages shifted by changes show a
 * record twice, never skip one). A first or full sync walks down to `since`; a reconciliation
 * reads every pull request.
 */
export const pullRequests: Stream<PullRequestCursor> = {
  name: 'pull_requests',
  mapping: pullRequestMapping,
  afterWrite: (trx, written) => linkPullRequests(trx, written.tenantId, written.rows.map((r) => r.id as string)),
  async *read(ctx: ReadContext<PullRequestCursor>): AsyncIterable<Page<PullRequestCursor>> {
    const settings = githubSettings(ctx.config);
    const cursor: PullRequestCursor = structuredClone(ctx.cursor ?? { repositories: {} });
    for (const repository of await organizationRepositories(ctx.http, settings)) {
      const key = String(repository.id);
      const state = cursor.repositories[key];
      // A reconciliation resumed from its checkpoint skips the repositories it already listed.
      if (ctx.mode === 'reconcile' && state && !state.walk) continue;
      const floor = ctx.mode === 'reconcile' ? null : state?.storedThrough ?? ctx.since.toISOString();
      let walk = state?.walk ?? { floor, newest: null, next: firstPage(repository, settings) };
      for (;;) {
        const page = await listingPage(ctx.http, walk.next);
        if (!page) {
          // The repository is gone: reconciliation removes it and its pull requests.
          delete cursor.repositories[key];
          yield { records: [], cursor: structuredClone(cursor) };
          break;
        }
        const bottom = walk.floor === null ? -Infinity : Date.parse(walk.floor);
        const fresh = page.items.filter((pull) => !(updatedAt(pull) < bottom));
        let newest = walk.newest;
        for (const pull of fresh) if (!Number.isNaN(updatedAt(pull))) newest = later(newest, (pull as { updated_at: string }).updated_at);
        const done = fresh.length < page.items.length || !page.next;
        walk = { ...walk, newest, next: page.next ?? walk.next };
        cursor.repositories[key] = done ? { storedThrough: later(state?.storedThrough ?? null, newest) } : { storedThrough: state?.storedThrough ?? null, walk };
        yield { records: await withDetails(ctx.http, repository, fresh, settings.concurrency), cursor: structuredClone(cursor) };
        if (done) break;
      }
    }
  },
};
