import type { RetryPolicy } from '../../sync/retry.js';

/** Fast retries for tests: backoff in milliseconds, but a vendor's Retry-After of a few seconds is still slept through. */
export const TEST_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 200, maxWaitMs: 10_000 };
