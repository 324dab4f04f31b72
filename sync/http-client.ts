import type { Logger } from '../core/logger.js';
import { withSlash, type AuthProvider } from './auth.js';
import type { RequestBudget } from './budget.js';
import { NeedsReauthError, RateLimitedError, VendorError } from './errors.js';
import { backoffMs, DEFAULT_RETRY, standardVerdict, type RateLimitSignals, type RetryPolicy, type Verdict } from './retry.js';
import { sleep } from './sleep.js';

export interface HttpOptions {
  baseUrl: string;
  auth: AuthProvider;
  budget: RequestBudget;
  signals?: RateLimitSignals;
  headers?: Record<string, string>;
  retry?: RetryPolicy;
  /** Per attempt; a hung vendor is abandoned after this and retried. */
  timeoutMs?: number;
  log: Logger;
  /** Aborts everything in flight: the run was cancelled or the process is stopping. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Read the body as bytes (archives) instead of text. */
  binary?: boolean;
  /** Statuses that are answers, not failures (Amplitude's 404 for an empty range). */
  accept?: number[];
}

export interface VendorResponse {
  status: number;
  headers: Headers;
  url: string;
  text: string;
  bytes: Buffer | null;
  json<T = any>(): T;
}

export interface HttpStats {
  requests: number;
  retries: number;
  waitedMs: number;
}

/**
 * The one HTTP client every connector uses: auth headers (OAuth refreshed ahead of expiry and
 * once on a 401), the connection's request budget, a timeout per attempt, and retries with
 * exponential backoff and full jitter that honour `Retry-After` and the vendor's own signals.
 * A wait longer than the policy allows ends the run with RateLimitedError (resume later).
 */
export class VendorHttp {
  readonly stats: HttpStats = { requests: 0, retries: 0, waitedMs: 0 };
  private readonly retry: RetryPolicy;

  constructor(private readonly options: HttpOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** The API base in use: the credentials' instance URL when they carry one, else the connection's. */
  get baseUrl(): string {
    return this.options.auth.baseUrl() ?? this.options.baseUrl;
  }

  /** `path` relative to the base URL, or an absolute URL (a `Link` or `nextRecordsUrl` the vendor gave). */
  url(path: string, query?: RequestOptions['query']): URL {
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), withSlash(this.baseUrl));
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  async get<T = any>(path: string, query?: RequestOptions['query']): Promise<T> {
    return (await this.request('GET', path, { query })).json<T>();
  }

  async post<T = any>(path: string, json: unknown): Promise<T> {
    return (await this.request('POST', path, { json })).json<T>();
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<VendorResponse> {
    const url = this.url(path, options.query);
    const { log, signal } = this.options;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      await this.options.budget.take(signal);
      let verdict: Verdict;
      let failure: string;
      try {
        const response = await this.send(method, url, options);
        if (response.status < 400 || options.accept?.includes(response.status)) return response;
        if (response.status === 401 && !refreshed) {
          refreshed = true;
          await this.options.auth.refresh();
          attempt--;
          continue;
        }
        if (response.status === 401) throw new NeedsReauthError(`the vendor refused fresh credentials (401 on ${method} ${url.pathname}): reconnect the integration`);
        verdict = this.options.signals?.classify({ status: response.status, headers: response.headers, body: response.text }) ?? standardVerdict(response.status, response.headers);
        failure = `${response.status} on ${method} ${url.pathname}${summary(response.text)}`;
        if (!verdict.retry) throw new VendorError(`${verdict.reason ? `${verdict.reason}: ` : ''}${failure}`, response.status, response.text.slice(0, 2_000));
      } catch (error) {
        if (error instanceof VendorError || error instanceof NeedsReauthError || signal?.aborted) throw error;
        if (!isTransient(error)) throw error;
        verdict = { retry: true };
        failure = `${method} ${url.pathname}: ${describe(error)}`;
      }
      if (attempt + 1 >= this.retry.maxAttempts) throw new VendorError(`gave up after ${attempt + 1} attempts: ${failure}`, null);
      const wait = verdict.waitMs ?? backoffMs(this.retry, attempt);
      if (wait > this.retry.maxWaitMs) throw new RateLimitedError(`${verdict.reason ?? 'rate limited'}: ${failure}; asked to wait ${Math.ceil(wait / 1000)} s`, new Date(Date.now() + wait));
      log.debug({ attempt: attempt + 1, waitMs: wait, failure }, 'vendor request will be retried');
      this.stats.retries++;
      this.stats.waitedMs += wait;
      await sleep(wait, signal);
    }
  }

  private async send(method: string, url: URL, options: RequestOptions): Promise<VendorResponse> {
    this.stats.requests++;
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, ...options.headers, ...(await this.options.auth.headers()) };
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    const response = await (this.options.fetch ?? fetch)(url, { method, headers, body, signal, redirect: 'follow' });
    let bytes: Buffer | null = null;
    let text = '';
    if (options.binary && response.ok) bytes = Buffer.from(await response.arrayBuffer());
    else text = await response.text();
    return {
      status: response.status, headers: response.headers, url: response.url || url.toString(), text, bytes,
      json<T>() {
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new VendorError(`the vendor answered ${method} ${url.pathname} with a body that is not JSON${summary(text)}`, response.status, text.slice(0, 2_000));
        }
      },
    };
  }
}

/** Network failures, timeouts and cut connections are worth another attempt; our own bugs are not. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  return error instanceof TypeError && /fetch failed|terminated|socket|network/i.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/** The start of a vendor's error body, for the run's error message (never a request header). */
function summary(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed ? `: ${trimmed.slice(0, 300)}` : '';
}
