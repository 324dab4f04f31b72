import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET, parseConfig } from '../../core/config.js';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const cfg = parseConfig({});
    expect(cfg.PORT).toBe(4000);
    expect(cfg.SUBGRAPH_PORT_BASE).toBe(4001);
    expect(cfg.MAX_PAGE_SIZE).toBe(100);
    expect(cfg.MAX_BULK_PAGE_SIZE).toBe(1_000);
    expect(cfg.DEMO_TENANT).toBe('demo');
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('names every bad variable in one error', () => {
    expect(() => parseConfig({ PORT: 'eighty', DATABASE_URL: 'nope', SUBGRAPH_URL_SALES: 'also nope' })).toThrow(
      /PORT[\s\S]*DATABASE_URL[\s\S]*SUBGRAPH_URL_SALES/,
    );
  });

  it('refuses development tokens and secrets in production', () => {
    const jwks = 'https://id.example.com/.well-known/jwks.json';
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_JWKS_URL[\s\S]*SUBGRAPH_SECRET/);
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET.repeat(2), SUBGRAPH_SECRET: 'g'.repeat(48) })).toThrow(/HS256 development tokens/);
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_JWKS_URL: jwks })).toThrow(/SUBGRAPH_SECRET/);
    expect(() => parseConfig({ JWT_JWKS_URL: jwks, JWT_PUBLIC_KEY: 'pem' })).toThrow(/not both/);
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_JWKS_URL: jwks, SUBGRAPH_SECRET: 'g'.repeat(48) })).toThrow(/CREDENTIALS_KEYS/);
    expect(parseConfig({ NODE_ENV: 'production', JWT_JWKS_URL: jwks, SUBGRAPH_SECRET: 'g'.repeat(48), CREDENTIALS_KEYS: keys }).NODE_ENV).toBe('production');
    expect(() => parseConfig({ CREDENTIALS_KEYS: 'k1:c2hvcnQ=' })).toThrow(/32 bytes/);
  });

  it('keeps the bulk page size at least the ordinary maximum', () => {
    expect(parseConfig({ MAX_PAGE_SIZE: '200', MAX_BULK_PAGE_SIZE: '200' }).MAX_BULK_PAGE_SIZE).toBe(200);
    expect(() => parseConfig({ MAX_PAGE_SIZE: '200', MAX_BULK_PAGE_SIZE: '150' })).toThrow(/MAX_BULK_PAGE_SIZE: must be at least MAX_PAGE_SIZE/);
  });

  it('keeps no more connections open than a pool may have', () => {
    expect(parseConfig({ DATABASE_POOL_SIZE: '6', DATABASE_POOL_MIN: '6' }).DATABASE_POOL_MIN).toBe(6);
    expect(() => parseConfig({ DATABASE_POOL_SIZE: '6', DATABASE_POOL_MIN: '7' })).toThrow(/DATABASE_POOL_MIN: must not exceed DATABASE_POOL_SIZE/);
  });

  it('maps SUBGRAPH_URL_<NAME> to subgraph names', () => {
    const cfg = parseConfig({ SUBGRAPH_URL_CUSTOMER_SUCCESS: 'http://cs.internal:4006/graphql' });
    expect(cfg.SUBGRAPH_URLS).toEqual({ 'customer-success': 'http://cs.internal:4006/graphql' });
  });
});
