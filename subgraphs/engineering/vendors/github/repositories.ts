import type { Stream } from '../../../../sync/connector.js';
import { ConnectionConfigError } from '../../../../sync/errors.js';
import type { VendorHttp } from '../../../../sync/http-client.js';
import { listing, withQuery } from './listing.js';
import { repositoryMapping } from './mapping.js';
import { githubSettings, type GitHubSettings } from './settings.js';

/** A repository as the other streams need it: where to ask and how to link back. */
export interface RepositoryRef {
  id: number;
  fullName: string;
  htmlUrl: string;
}

const organizationRepos = (settings: GitHubSettings) =>
  withQuery(`/orgs/${encodeURIComponent(settings.org)}/repos`, { type: 'all', sort: 'full_name', direction: 'asc', per_page: settings.pageSize });

/** Every repository of the organisation, in name order. */
export async function organizationRepositories(http: VendorHttp, settings: GitHubSettings): Promise<RepositoryRef[]> {
  const found: RepositoryRef[] = [];
  let pages = 0;
  for await (const page of listing(http, organizationRepos(settings))) {
    pages++;
    for (const item of page.items as { id?: unknown; full_name?: unknown; html_url?: unknown }[]) {
      if (typeof item?.id !== 'number' || typeof item.full_name !== 'string') continue;
      found.push({ id: item.id, fullName: item.full_name, htmlUrl: typeof item.html_url === 'string' ? item.html_url : `https://github.com/${item.full_name}` });
    }
  }
  if (!pages) throw new ConnectionConfigError(`GitHub has no organisation "${settings.org}" this token can see`);
  return found;
}

/**
 * `GET /orgs/{org}/repos`: a few hundred at most, listed whole on every run (there is no
 * modification filter); unchanged rows are not rewritten. A repository the listing no longer has
 * is removed by reconciliation, its pull requests and deployments with it.
 */
export const repositories: Stream<null> = {
  name: 'repositories',
  mapping: repositoryMapping,
  async *read(ctx) {
    const settings = githubSettings(ctx.config);
    let pages = 0;
    for await (const page of listing(ctx.http, organizationRepos(settings))) {
      pages++;
      yield { records: page.items, cursor: null };
    }
    if (!pages) throw new ConnectionConfigError(`GitHub has no organisation "${settings.org}" this token can see`);
  },
};
