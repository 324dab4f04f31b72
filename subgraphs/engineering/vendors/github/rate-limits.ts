import { retryAfterMs, type RateLimitSignals } from '../../../../sync/retry.js';

/** GitHub says to wait at least a minute after a secondary limit that names no time. */
const SECONDARY_WAIT_MS = 60_000;
/** `x-ratelimit-reset` is to the second and clocks differ a little: wait a moment past it. */
const RESET_MARGIN_MS = 1_000;

/**
 * GitHub's limits, as its REST docs prescribe: a 403 or 429 with `retry-after` waits that long
 * (a secondary limit); with `x-ratelimit-remaining: 0` it waits until `x-ratelimit-reset` (epoch
 * seconds: the primary limit is spent); any other 429, or a 403 saying "rate limit", waits a
 * minute. Another 403 is a refusal (a missing permission, an organisation's policy): not retried.
 */
export const githubRateLimits: RateLimitSignals = {
  classify({ status, headers, body }) {
    if (status !== 403 && status !== 429) return undefined;
    const retryAfter = retryAfterMs(headers.get('retry-after'));
    if (retryAfter !== null) return { retry: true, waitMs: retryAfter, reason: 'GitHub secondary rate limit' };
    if (headers.get('x-ratelimit-remaining') === '0') {
      const reset = Number(headers.get('x-ratelimit-reset'));
      const waitMs = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) + RESET_MARGIN_MS : SECONDARY_WAIT_MS;
      return { retry: true, waitMs, reason: `GitHub primary rate limit (${headers.get('x-ratelimit-resource') ?? 'core'}) spent until its reset` };
    }
    if (status === 429 || /rate limit/i.test(body)) return { retry: true, waitMs: SECONDARY_WAIT_MS, reason: 'GitHub secondary rate limit' };
    return { retry: false, reason: 'GitHub refused the request (a permission the token lacks, or an organisation policy)' };
  },
};
