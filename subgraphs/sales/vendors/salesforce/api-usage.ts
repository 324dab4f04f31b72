import { RateLimitedError } from '../../../../sync/errors.js';
import type { VendorResponse } from '../../../../sync/http-client.js';

const HOUR = 3_600_000;

/**
 * The org's daily API allocation is shared by every integration it runs: `Sforce-Limit-Info:
 * api-usage=used/max` on each response tells how much is left, and a sync stops at the
 * connection's ceiling (config `apiUsageCeiling`, a share of the allocation, default 0.9) to
 * leave the rest to the others, resuming an hour later from its cursor.
 */
export function checkApiUsage(response: VendorResponse, config: Record<string, unknown>): void {
  const match = /api-usage=(\d+)\/(\d+)/.exec(response.headers.get('sforce-limit-info') ?? '');
  if (!match) return;
  const [used, max] = [Number(match[1]), Number(match[2])];
  const ceiling = Number(config.apiUsageCeiling) || 0.9;
  if (max > 0 && used >= max * ceiling) {
    throw new RateLimitedError(`the Salesforce org has used ${used} of its ${max} daily API requests (ceiling ${Math.round(ceiling * 100)}%): the sync waits and resumes from its cursor`, new Date(Date.now() + HOUR));
  }
}
