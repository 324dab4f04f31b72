import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestStack, type TestStack } from '../support/stack.js';

/** A fingerprint of every table's rows: bad requests must leave it unchanged. */
async function fingerprint(t: TestStack): Promise<string> {
  const tables = await sql<{ name: string }>`
    select format('%I.%I', schemaname, relname) as name from pg_stat_user_tables
    where schemaname in ('product','engineering','analytics','sales','finance','customer_success','integrations') order by 1`.execute(t.db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const { rows } = await sql<{ n: string; h: string }>`select count(*) as n, coalesce(sum(hashtext(t::text)), 0) as h from ${sql.raw(name)} t`.execute(t.db);
    parts.push(`${name}:${rows[0].n}:${rows[0].h}`);
  }
  return parts.join('|');
}

describe('bad input gets a clear error with a code', () => {
  let t: TestStack;
  let before: string;
  beforeAll(async () => { t = await startTestStack(); before = await fingerprint(t); });
  afterAll(async () => { await t?.stop(); });

  it('an unknown field: 400 GRAPHQL_VALIDATION_FAILED naming the field', async () => {
    const res = await t.query('{ features(first: 1) { edges { node { nope } } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0].message).toMatch(/nope/);
  });

  it('a wrong argument type: 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await t.query('{ features(first: "ten") { totalCount } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a wrong variable type: 400 BAD_USER_INPUT', async () => {
    const res = await t.query('query ($n: Int) { features(first: $n) { totalCount } }', { n: 'ten' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('`first` over the maximum: BAD_USER_INPUT saying the maximum', async () => {
    const res = await t.query('{ features(first: 100000) { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0].message).toMatch(/between 1 and 1000 for this list/);
    expect(res.body.errors?.[0].extensions?.maximum).toBe(1000);
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['a cursor of another ordering', Buffer.from(JSON.stringify(['releases:release_date:desc', '2020-01-01', 'x'])).toString('base64url')],
    ['a cursor with values of the wrong type', Buffer.from(JSON.stringify(['features:released_at:asc', 'yesterday', 'not-a-uuid'])).toString('base64url')],
  ])('a malformed cursor (%s): BAD_USER_INPUT', async (_name, cursor) => {
    const res = await t.query('query ($after: String) { features(first: 5, after: $after, orderBy: { field: RELEASED_AT }) { totalCount } }', { after: cursor });
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0].message).toMatch(/cursor|after/);
  });

  it('an id that is not an id: BAD_USER_INPUT', async () => {
    const res = await t.query('{ feature(id: "42") { name } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('malformed JSON: 400 BAD_REQUEST', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token()}` }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('a body over the limit: 413', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token()}` },
      body: JSON.stringify({ query: `{ features(first: 1) { totalCount } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(res.status).toBe(413);
  });

  it('wrote nothing', async () => {
    expect(await fingerprint(t)).toBe(before);
  });
});
