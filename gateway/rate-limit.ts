import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * A request budget per tenant, so one tenant's flood cannot starve the others: `requests`
 * per `seconds`, per gateway process. Past it: 429 RATE_LIMITED with Retry-After.
 */
export function tenantRateLimiter(requests: number, seconds: number) {
  const limiter = new RateLimiterMemory({ points: requests, duration: seconds, keyPrefix: 'tenant' });
  return async function consume(tenantId: string): Promise<void> {
    try {
      await limiter.consume(tenantId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(`Tenant "${tenantId}" sent more than ${requests} requests in ${seconds} s: retry after ${retryAfter} s.`, {
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) } },
      });
    }
  };
}
