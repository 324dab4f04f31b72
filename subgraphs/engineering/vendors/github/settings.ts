import { ConnectionConfigError } from '../../../../sync/errors.js';

export interface GitHubSettings {
  /** The organisation whose repositories are synced. */
  org: string;
  /** `per_page` of every listing (GitHub allows up to 100). */
  pageSize: number;
  /** Pull request details and deployment statuses fetched at once (each one request). */
  concurrency: number;
  /** How long a deployment that failed and is not yet restored (or still in progress) is checked again. */
  watchDays: number;
}

/** The connection's settings: `org` (required), `pageSize`, `concurrency`, `watchDays`. */
export function githubSettings(config: Record<string, unknown>): GitHubSettings {
  const org = typeof config.org === 'string' ? config.org.trim() : '';
  if (!org) throw new ConnectionConfigError('the GitHub connection needs config.org, the organisation to sync');
  const pageSize = Number(config.pageSize ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new ConnectionConfigError('config.pageSize must be an integer from 1 to 100');
  const concurrency = Number(config.concurrency ?? 4);
  const watchDays = Number(config.watchDays ?? 30);
  return {
    org, pageSize,
    concurrency: Number.isInteger(concurrency) && concurrency > 0 ? Math.min(concurrency, 16) : 4,
    watchDays: Number.isFinite(watchDays) && watchDays > 0 ? watchDays : 30,
  };
}
