import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';

vi.stubEnv('GRAPHQL_INTROSPECTION', 'false');
vi.stubEnv('GRAPHQL_FIELD_SUGGESTIONS', 'false');

describe('a gateway with introspection and field suggestions turned off', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); vi.unstubAllEnvs(); });

  it('refuses introspection', async () => {
    const res = await t.query('{ __schema { types { name } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0].message).toMatch(/introspection/i);
  });

  it('names an unknown field without suggesting real ones', async () => {
    const res = await t.query('{ features(first: 1) { edges { node { nam } } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].message).toMatch(/nam/);
    expect(res.body.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('still answers queries', async () => {
    const res = await t.query('{ features(first: 1) { totalCount } }');
    expect(res.body.data.features.totalCount).toBeGreaterThan(0);
  });
});
