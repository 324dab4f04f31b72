import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { config, DEVELOPMENT_JWT_SECRET } from '../../core/config.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const QUERY = '{ features(first: 1) { totalCount } }';

/** An identity provider's key set on this machine: one RSA and one EC key. */
describe('tokens from an identity provider (JWKS)', () => {
  let t: TestStack;
  let server: http.Server;
  let rsa: CryptoKey;
  let ec: CryptoKey;
  let stranger: CryptoKey;

  beforeAll(async () => {
    const [rsaPair, ecPair, strangerPair] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('ES256'), generateKeyPair('RS256')]);
    [rsa, ec, stranger] = [rsaPair.privateKey, ecPair.privateKey, strangerPair.privateKey];
    const keys = [
      { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = http.createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys })); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    vi.stubEnv('JWT_JWKS_URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => server?.close(resolve));
    vi.unstubAllEnvs();
  });

  async function token(key: CryptoKey | Uint8Array, alg: string, kid: string, claims: { expiresAt?: number } = {}) {
    return new SignJWT({ tenant: 'demo', scope: 'product_data.read' })
      .setProtectedHeader({ alg, kid })
      .setSubject('user-1')
      .setIssuer(config().JWT_ISSUER)
      .setAudience(config().JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(claims.expiresAt ?? Math.floor(Date.now() / 1000) + 300)
      .sign(key);
  }

  it.each([
    ['RS256', () => token(rsa, 'RS256', 'rsa-1')],
    ['ES256', () => token(ec, 'ES256', 'ec-1')],
  ])('accepts a %s token signed by a key of the set', async (_alg, make) => {
    const res = await t.query(QUERY, {}, { token: await make() });
    expect(res.status).toBe(200);
    expect(res.body.data.features.totalCount).toBeGreaterThan(0);
  });

  it.each([
    ['an HS256 token, even with the development secret', () => token(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET), 'HS256', 'rsa-1'), /algorithm is not accepted/],
    ['a key the set does not contain', () => token(stranger, 'RS256', 'rsa-2'), /key set does not contain/],
    ['a set key id on a token signed by another key', () => token(stranger, 'RS256', 'rsa-1'), /signature is invalid/],
    ['an expired token', () => token(rsa, 'RS256', 'rsa-1', { expiresAt: Math.floor(Date.now() / 1000) - 60 }), /expired/],
  ])('refuses %s with 401', async (_name, make, message) => {
    const res = await t.query(QUERY, {}, { token: await make() });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0].message).toMatch(message);
  });
});
