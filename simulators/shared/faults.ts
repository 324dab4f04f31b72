import type { NextFunction, Request, Response } from 'express';

/**
 * What a simulator is told to do wrong. Counted faults apply to the next N API requests (token
 * endpoints and the control API excepted), in this order: hang, server error, rate limit.
 */
export interface FaultPlan {
  /** The next `requests` answer 429 with `Retry-After: retryAfterSeconds` (in the vendor's own shape). */
  rateLimit?: { requests: number; retryAfterSeconds: number };
  /** The next `requests` answer this 5xx status (default 503). */
  serverError?: { requests: number; status?: number };
  /** The next `requests` wait `ms` before answering (longer than a client's timeout: a hang). */
  slow?: { requests: number; ms: number };
  /** Every API request takes at least this long (a distant vendor), until cleared. */
  latencyMs?: number;
  /** Every `every`-th API request fails with 500 (a flaky vendor), until cleared. */
  flaky?: { every: number };
  /** Records served with a field of the wrong type, by external id. */
  malformed?: string[];
  /** Records carry fields our mapping has never heard of. */
  unknownFields?: boolean;
}

export interface FaultStats {
  requests: number;
  rateLimited: number;
  serverErrors: number;
  slowed: number;
}

/** How a vendor says "slow down" and "something broke": its headers and error body. */
export interface ErrorShapes {
  rateLimited(res: Response, retryAfterSeconds: number): void;
  serverError(res: Response, status: number): void;
}

export class Faults {
  plan: FaultPlan = {};
  readonly stats: FaultStats = { requests: 0, rateLimited: 0, serverErrors: 0, slowed: 0 };

  set(plan: FaultPlan): void {
    this.plan = structuredClone(plan);
  }

  clear(): void {
    this.plan = {};
  }

  isMalformed(externalId: string): boolean {
    return this.plan.malformed?.includes(externalId) ?? false;
  }

  /** Express middleware applying the plan to API requests. */
  middleware(shapes: ErrorShapes) {
    return async (req: Request, res: Response, next: NextFunction) => {
      this.stats.requests++;
      const { slow, serverError, rateLimit, flaky, latencyMs } = this.plan;
      if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (slow && slow.requests > 0) {
        slow.requests--;
        this.stats.slowed++;
        await new Promise((resolve) => setTimeout(resolve, slow.ms));
        if (res.destroyed || req.socket.destroyed) return;
      }
      if (serverError && serverError.requests > 0) {
        serverError.requests--;
        this.stats.serverErrors++;
        return shapes.serverError(res, serverError.status ?? 503);
      }
      if (rateLimit && rateLimit.requests > 0) {
        rateLimit.requests--;
        this.stats.rateLimited++;
        return shapes.rateLimited(res, rateLimit.retryAfterSeconds);
      }
      if (flaky && this.stats.requests % flaky.every === 0) {
        this.stats.serverErrors++;
        return shapes.serverError(res, 500);
      }
      next();
    };
  }
}
