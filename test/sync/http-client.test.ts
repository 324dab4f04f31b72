import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../core/logger.js';
import { createAuthProvider, type Credentials } from '../../sync/auth.js';
import { requestBudget } from '../../sync/budget.js';
import { NeedsReauthError, RateLimitedError, VendorError } from '../../sync/errors.js';
import { VendorHttp } from '../../sync/http-client.js';
import { retryAfterMs } from '../../sync/retry.js';
import { TokenAuthority } from '../../simulators/shared/oauth.js';
import { listen, type RunningSimulator } from '../../simulators/shared/server.js';
import { TEST_RETRY } from '../support/sync-retry.js';

/** A vendor stand-in whose answers each test scripts: a queue of responses per path. */
const script = new Map<string, ((res: express.Response) => void)[]>();
const hits = new Map<string, number>();
const authority = new TokenAuthority({ clientId: 'c', clientSecret: 's' }, { ttlSeconds: 3_600, rotateRefreshTokens: true });
let vendor: RunningSimulator;

beforeAll(async () => {
  const app = express();
  app.post('/oauth/token', express.urlencoded({ extended: false }), authority.handle);
  app.get('/api/:name', (req, res) => {
    const path = String(req.params.name);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith('oauth') && authority.check(req) !== 'ok') return void res.status(401).json({ message: 'expired' });
    const next = script.get(path)?.shift();
    if (next) return next(res);
    res.json({ ok: true, path });
  });
  vendor = await listen(app);
});
afterAll(async () => { await vendor.close(); });

function client(auth: Credentials = { token: 't' }, options: Partial<ConstructorParameters<typeof VendorHttp>[0]> = {}, scheme: Parameters<typeof createAuthProvider>[0] = { type: 'bearer' }) {
  const saved: Credentials[] = [];
  const provider = createAuthProvider(scheme, auth, { baseUrl: vendor.url, save: async (c) => { saved.push(c); } });
  return { http: new VendorHttp({ baseUrl: vendor.url, auth: provider, budget: requestBudget(`c-${Math.random()}`, 1_000), retry: TEST_RETRY, log: logger(), timeoutMs: 500, ...options }), saved };
}

describe('the vendor HTTP client', () => {
  it("waits as long as a 429's Retry-After says, then succeeds", async () => {
    script.set('limited', [(res) => { res.set('retry-after', '1').status(429).json({}); }]);
    const { http } = client();
    const t0 = performance.now();
    expect(await http.get('/api/limited')).toEqual({ ok: true, path: 'limited' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_000);
    expect(http.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('retries 5xx and hung responses with backoff, then gives up with the status and the vendor message', async () => {
    script.set('flaky', [(res) => { res.status(502).send('bad gateway'); }, (res) => { setTimeout(() => res.json({ late: true }), 2_000); }]);
    const { http } = client();
    expect(await http.get('/api/flaky')).toEqual({ ok: true, path: 'flaky' });
    expect(http.stats.retries).toBe(2);
    script.set('down', Array.from({ length: TEST_RETRY.maxAttempts }, () => (res: express.Response) => { res.status(503).json({ error: 'maintenance window' }); }));
    const error = await client().http.get('/api/down').catch((e) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error.message).toMatch(/gave up after 5 attempts: 503 on GET \/api\/down: .*maintenance window/);
  });

  it('does not retry a 4xx answer', async () => {
    script.set('missing', [(res) => { res.status(404).json({ message: 'Not Found' }); }]);
    const error = await client().http.get('/api/missing').catch((e) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error.status).toBe(404);
    expect(hits.get('missing')).toBe(1);
  });

  it('stops the run instead of sleeping through a wait longer than allowed, saying until when', async () => {
    script.set('later', [(res) => { res.set('retry-after', '3600').status(429).json({}); }]);
    const error = await client().http.get('/api/later').catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.until.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('refreshes an expired OAuth token once, saving the rotated refresh token, and needs re-authentication once revoked', async () => {
    const grant = authority.grant();
    const scheme = { type: 'oauth2', tokenUrl: '/oauth/token' } as const;
    const { http, saved } = client({ clientId: 'c', clientSecret: 's', ...grant }, {}, scheme);
    authority.expireAll();
    expect(await http.get('/api/oauth-data')).toEqual({ ok: true, path: 'oauth-data' });
    expect(saved).toHaveLength(1);
    expect(saved[0].refreshToken).not.toBe(grant.refreshToken);
    authority.revokeAll();
    authority.expireAll();
    await expect(http.get('/api/oauth-data')).rejects.toBeInstanceOf(NeedsReauthError);
  });

  it('a static token the vendor refuses means re-authentication, not retries', async () => {
    script.set('oauth-static', []);
    await expect(client({ token: 'wrong' }).http.get('/api/oauth-static')).rejects.toBeInstanceOf(NeedsReauthError);
    expect(hits.get('oauth-static')).toBe(1);
  });

  it("keeps each connection within its own request budget: one connection's backlog does not slow another", async () => {
    const busy = requestBudget('budget-busy', 10);
    const idle = requestBudget('budget-idle', 10);
    const t0 = performance.now();
    const backlog = Promise.all(Array.from({ length: 25 }, () => busy.take()));
    await idle.take();
    expect(performance.now() - t0).toBeLessThan(100);
    await backlog;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_500);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2_000);
    expect(retryAfterMs(new Date(Date.now() + 5_000).toUTCString())).toBeGreaterThan(3_000);
    expect(retryAfterMs('soon')).toBeNull();
  });
});
