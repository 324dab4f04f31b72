import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { sleep } from './sleep.js';

/**
 * A per-connection request budget: each connection may send at most its vendor's rate, so one
 * tenant's big backfill cannot use up the process's capacity or the vendor's patience for others.
 */
export interface RequestBudget {
  take(signal?: AbortSignal): Promise<void>;
}

const limiters = new Map<number, RateLimiterMemory>();

function limiterFor(perSecond: number): RateLimiterMemory {
  let limiter = limiters.get(perSecond);
  if (!limiter) limiters.set(perSecond, (limiter = new RateLimiterMemory({ points: perSecond, duration: 1 })));
  return limiter;
}

export function requestBudget(connectionId: string, perSecond: number): RequestBudget {
  const limiter = limiterFor(Math.max(1, Math.floor(perSecond)));
  return {
    async take(signal) {
      for (;;) {
        try {
          await limiter.consume(connectionId);
          return;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          await sleep(Math.max(5, rejection.msBeforeNext), signal);
        }
      }
    },
  };
}
