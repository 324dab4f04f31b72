import { sleep } from './sleep.js';

/**
 * A per-connection request budget: each connection may send at most its vendor's rate, so one
 * tenant's big backfill cannot use up the process's capacity or the vendor's patience for others.
 */
export interface RequestBudget {
  take(signal?: AbortSignal): Promise<void>;
}

const WINDOW_MS = 1_000;

/** When each connection's requests of the last second were sent, oldest first. */
const sent = new Map<string, number[]>();

/**
 * At most `perSecond` requests in any second, not merely per fixed window: vendors count by the
 * clock's seconds, and two fixed windows straddling one of them would let twice the rate through.
 */
export function requestBudget(connectionId: string, perSecond: number): RequestBudget {
  const limit = Math.max(1, Math.floor(perSecond));
  return {
    async take(signal) {
      for (;;) {
        const now = performance.now();
        let times = sent.get(connectionId);
        if (!times) sent.set(connectionId, (times = []));
        let expired = 0;
        while (expired < times.length && times[expired] <= now - WINDOW_MS) expired++;
        if (expired) times.splice(0, expired);
        if (times.length < limit) {
          times.push(now);
          return;
        }
        await sleep(Math.max(1, times[0] + WINDOW_MS - now), signal);
      }
    },
  };
}
