import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startTestStack, type TestStack } from '../support/stack.js';
import { config } from '../../core/config.js';

const QUERY = '{ features(first: 1) { totalCount } }';

async function tokenWith(claims: { secret?: string; issuer?: string; audience?: string; expiresAt?: number; notBefore?: number; tenant?: unknown }) {
  const cfg = config();
  let jwt = new SignJWT({ tenant: claims.tenant ?? 'demo', scope: 'product_data.read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('test')
    .setIssuer(claims.issuer ?? cfg.JWT_ISSUER)
    .setAudience(claims.audience ?? cfg.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.expiresAt ?? Math.floor(Date.now() / 1000) + 600);
  if (claims.notBefore) jwt = jwt.setNotBefore(claims.notBefore);
  return jwt.sign(new TextEncoder().encode(claims.secret ?? cfg.JWT_SECRET));
}

describe('authentication at the gateway', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['no token', async () => '', /Missing bearer token/],
    ['a malformed token', async () => 'not-a-jwt', /malformed/],
    ['a wrong signature', () => tokenWith({ secret: 'x'.repeat(40) }), /signature/],
    ['an expired token', () => tokenWith({ expiresAt: Math.floor(Date.now() / 1000) - 60 }), /expired/],
    ['a token not valid yet', () => tokenWith({ notBefore: Math.floor(Date.now() / 1000) + 3600 }), /not accepted/],
    ['a wrong issuer', () => tokenWith({ issuer: 'someone-else' }), /not accepted/],
    ['a wrong audience', () => tokenWith({ audience: 'someone-else' }), /not accepted/],
    ['no tenant claim', () => tokenWith({ tenant: 42 }), /tenant/],
  ];

  it.each(cases)('refuses %s with 401 UNAUTHENTICATED and a message saying what to fix', async (_name, make, message) => {
    const res = await t.query(QUERY, {}, { token: await make() });
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0].message).toMatch(message);
  });

  it('answers a valid token and gives every response a request id', async () => {
    const res = await t.query(QUERY);
    expect(res.status).toBe(200);
    expect(res.body.data.features.totalCount).toBeGreaterThan(0);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a caller's request id (for tracing through the subgraphs) and replaces an unsafe one", async () => {
    const send = async (id: string) =>
      fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token()}`, 'x-request-id': id },
        body: JSON.stringify({ query: QUERY }),
      });
    expect((await send('trace-42.a')).headers.get('x-request-id')).toBe('trace-42.a');
    expect((await send('bad id\twith spaces')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
