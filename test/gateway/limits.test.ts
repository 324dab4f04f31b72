import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { startTestStack, type TestStack } from '../support/stack.js';

// A short statement timeout for this file's pool, so the timeout test takes a second.
vi.stubEnv('STATEMENT_TIMEOUT_MS', '1000');

function nested(depth: number): string {
  let selection = 'id';
  for (let i = 0; i < depth; i++) selection = `release { features(first: 1) { edges { node { ${selection} } } } }`;
  return `{ features(first: 1) { edges { node { ${selection} } } } }`;
}

describe('operation limits: refused before any subgraph or SQL runs', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); vi.unstubAllEnvs(); });

  async function refused(query: string, variables: Record<string, unknown> = {}) {
    t.statements.length = 0;
    const started = performance.now();
    const res = await t.query(query, variables);
    const ms = performance.now() - started;
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(t.statements).toEqual([]);
    expect(ms).toBeLessThan(5_000);
    return res.body.errors![0];
  }

  it('a query nested too deep', async () => {
    const error = await refused(nested(6));
    expect(error.message).toMatch(/depth/i);
  });

  it('an alias flood', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: features(first: 1) { totalCount }`).join(' ');
    const error = await refused(`{ ${aliases} }`);
    expect(error.message).toMatch(/alias/i);
  });

  it('a token flood: the parser stops at the limit', async () => {
    const fields = Array.from({ length: 6_000 }, () => 'name').join(' ');
    const error = await refused(`{ features(first: 1) { edges { node { ${fields} } } } }`);
    expect(error.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(error.message).toMatch(/tokens/i);
  });

  it('thousands of overlapping fields: validation gives up instead of spinning', async () => {
    const fields = Array.from({ length: 3_000 }, () => 'name').join(' ');
    const error = await refused(`{ features(first: 1) { edges { node { ${fields} } } } }`);
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a directive flood', async () => {
    const error = await refused(`{ features(first: 1) { totalCount ${Array.from({ length: 100 }, () => '@include(if: true)').join(' ')} } }`);
    expect(error.message).toMatch(/directive/i);
  });

  it('big pages of big pages: QUERY_TOO_COMPLEX with the cost, also through variables', async () => {
    const query = `query ($n: Int) { features(first: $n) { edges { node { release { features(first: $n) { edges { node {
      delivery { pullRequests(first: $n) { edges { node { title } } } } } } } } } } } }`;
    const error = await refused(query, { n: 100 });
    expect(error.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(error.extensions?.cost).toBeGreaterThan(error.extensions?.maximum);
    const small = await t.query(query, { n: 2 });
    expect(small.body.errors).toBeUndefined();
  });

  it('a bulk page: a flat one of MAX_BULK_PAGE_SIZE rows is served, one of nested lists is QUERY_TOO_COMPLEX', async () => {
    const error = await refused('{ features(first: 1000) { edges { node { feedback(first: 100) { edges { node { id } } } } } } }');
    expect(error.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(error.extensions?.cost).toBeGreaterThan(error.extensions?.maximum);
    const flat = await t.query('{ features(first: 1000) { edges { node { id name adoption { activeUsers } } } } }');
    expect(flat.body.errors).toBeUndefined();
    expect(flat.body.data.features.edges.length).toBeGreaterThan(0);
  });

  it('a fragment cycle', async () => {
    const error = await refused('{ features(first: 1) { ...A } } fragment A on FeatureConnection { ...B } fragment B on FeatureConnection { ...A }');
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a batch of operations in one HTTP request', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token()}` },
      body: JSON.stringify([{ query: '{ features(first: 1) { totalCount } }' }, { query: '{ features(first: 1) { totalCount } }' }]),
    });
    expect(res.status).toBe(400);
  });

  it('a statement that runs too long is cancelled by Postgres', async () => {
    const error = await sql`select pg_sleep(60)`.execute(t.databases.forTenant('demo')).then(() => null, (e: Error & { code?: string }) => e);
    expect(error?.code).toBe('57014');
  });
});
