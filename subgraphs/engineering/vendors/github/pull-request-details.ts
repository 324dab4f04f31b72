import type { VendorHttp } from '../../../../sync/http-client.js';
import { mapConcurrently } from './concurrency.js';
import { FIRST_COMMIT_AT } from './mapping.js';
import type { RepositoryRef } from './repositories.js';

type PullRequest = Record<string | symbol, unknown>;

/**
 * A listing's pull requests lack their size and commits: each is completed from
 * `GET /repos/{owner}/{repo}/pulls/{number}` (additions, deletions) and the first entry of
 * `GET .../pulls/{number}/commits?per_page=1` (commits come oldest first). One that vanished
 * meanwhile (404) keeps what the listing said.
 */
export function withDetails(http: VendorHttp, repository: RepositoryRef, pulls: unknown[], concurrency: number): Promise<unknown[]> {
  const base = `/repos/${repository.fullName.split('/').map(encodeURIComponent).join('/')}/pulls`;
  return mapConcurrently(pulls, concurrency, async (listed) => {
    const number = (listed as PullRequest | null)?.number;
    if (typeof number !== 'number' || !Number.isInteger(number)) return listed;
    const [detail, commits] = await Promise.all([
      http.request('GET', `${base}/${number}`, { accept: [404] }),
      http.request('GET', `${base}/${number}/commits`, { query: { per_page: 1 }, accept: [404] }),
    ]);
    const pull: PullRequest = detail.status === 404 ? { ...(listed as PullRequest) } : detail.json<PullRequest>();
    if (commits.status !== 404) {
      const first = commits.json<{ commit?: { author?: { date?: unknown } } }[]>()[0];
      pull[FIRST_COMMIT_AT] = first?.commit?.author?.date ?? null;
    }
    return pull;
  });
}
