import type { NextFunction, Request, Response } from 'express';
import type { ErrorShapes } from '../shared/faults.js';

const LIMIT = 5_000;
const WINDOW_SECONDS = 3_600;
export const DOCS = 'https://docs.github.com/rest';
const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

export function githubError(res: Response, status: number, message: string, documentationUrl = DOCS): void {
  res.status(status).json({ message, documentation_url: documentationUrl, status: String(status) });
}

/**
 * GitHub's primary rate limit for one token: `x-ratelimit-limit`, `-remaining`, `-used`, `-reset`
 * (epoch seconds) and `-resource` on every answer; when spent, 403 with `x-ratelimit-remaining: 0`
 * until the reset. Secondary limits (the fault plan's storms) are 429 or 403 with `retry-after`.
 */
export class RateLimitWindow {
  private remaining = LIMIT;
  private reset = 0;
  /** Requests refused because the primary limit was spent. */
  primaryLimited = 0;
  /** The status a secondary limit answers with: GitHub uses both. */
  secondaryStatus: 403 | 429 = 429;

  private roll(now: number): void {
    if (now >= this.reset * 1000) {
      this.remaining = LIMIT;
      this.reset = Math.ceil(now / 1000) + WINDOW_SECONDS;
    }
  }

  /** Spends the limit now: it comes back `resetInSeconds` from now. */
  exhaust(resetInSeconds: number): void {
    this.remaining = 0;
    this.reset = Math.ceil(Date.now() / 1000) + resetInSeconds;
  }

  private headers(res: Response): void {
    res.set({
      'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': String(this.remaining), 'x-ratelimit-used': String(LIMIT - this.remaining),
      'x-ratelimit-reset': String(this.reset), 'x-ratelimit-resource': 'core',
    });
  }

  /** Stamps the headers on every answer and refuses requests while the limit is spent. */
  middleware() {
    return (_req: Request, res: Response, next: NextFunction) => {
      this.roll(Date.now());
      if (this.remaining === 0) {
        this.primaryLimited++;
        this.headers(res);
        return githubError(res, 403, 'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.', RATE_LIMIT_DOCS);
      }
      this.remaining--;
      this.headers(res);
      next();
    };
  }

  shapes(): ErrorShapes {
    return {
      rateLimited: (res, retryAfter) => {
        res.set('retry-after', String(retryAfter));
        githubError(res, this.secondaryStatus, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
          `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`);
      },
      serverError: (res, status) => {
        if (status === 500) return githubError(res, 500, 'Server Error');
        res.status(status).type('text/html').send(status === 502 ? '<h1>Bad Gateway</h1>' : '<h1>Unicorn! This page is taking too long to load.</h1>');
      },
    };
  }
}
