/** When and how long to wait before trying a vendor request again. */

export interface RetryPolicy {
  /** Attempts in all, the first included (seed 002's contract: 3). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A wait longer than this is not slept through: the run stops and is rescheduled for then. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxWaitMs: 120_000 };

/** Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^attempt)). */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** `Retry-After` as milliseconds from now: delta seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * What a vendor's response says about retrying, beyond the standard rules (429 and 5xx retried,
 * `Retry-After` honoured). Returns undefined to leave the decision to the standard rules.
 */
export type Verdict = { retry: false; reason?: string } | { retry: true; waitMs?: number; reason?: string };

export interface RateLimitSignals {
  classify(response: { status: number; headers: Headers; body: string }): Verdict | undefined;
}

/** The standard rules: 408, 425, 429 and 5xx are worth retrying; other statuses are answers. */
export function standardVerdict(status: number, headers: Headers): Verdict {
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    const wait = retryAfterMs(headers.get('retry-after'));
    return { retry: true, waitMs: wait ?? undefined };
  }
  return { retry: false };
}
