import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A } from '../support/tenants.js';

async function walk(t: TestStack, query: string, path: string, variables: Record<string, unknown> = {}) {
  const nodes: any[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount = -1;
  do {
    const res: any = await t.query(query, { ...variables, after });
    expect(res.body.errors).toBeUndefined();
    const connection: any = res.body.data[path];
    totalCount = connection.totalCount;
    nodes.push(...connection.edges.map((e: any) => e.node));
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    pages++;
  } while (after && pages < 1000);
  return { nodes, pages, totalCount };
}

describe('keyset pagination', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it.each([
    ['NAME', 'ASC'],
    ['RELEASED_AT', 'DESC'],
    ['UPDATED_AT', 'ASC'],
  ])('walking every page of features by %s %s returns every row once, in order', async (field, direction) => {
    const { nodes, pages, totalCount } = await walk(
      t,
      `query ($after: String) { features(first: 7, after: $after, orderBy: { field: ${field}, direction: ${direction} }) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id name releasedAt updatedAt } } } }`,
      'features',
    );
    const ids = (await t.db.selectFrom('product.features').select('id').where('tenant_id', '=', TENANT_A).execute()).map((r) => r.id);
    expect(pages).toBeGreaterThan(2);
    expect(nodes.length).toBe(ids.length);
    expect(totalCount).toBe(ids.length);
    expect(new Set(nodes.map((n) => n.id))).toEqual(new Set(ids));
    const key = (n: any) => (field === 'NAME' ? n.name : field === 'RELEASED_AT' ? n.releasedAt ?? '' : n.updatedAt);
    for (let i = 1; i < nodes.length; i++) {
      const [a, b] = [key(nodes[i - 1]), key(nodes[i])];
      if (a === b) continue;
      if (field === 'NAME') {
        // Postgres collation decides name order; the keyset must agree with one ORDER BY.
        continue;
      }
      expect(direction === 'ASC' ? a < b : a > b).toBe(true);
    }
  });

  it('pages of names follow the database order exactly', async () => {
    const { nodes } = await walk(
      t,
      `query ($after: String) { features(first: 9, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      'features',
    );
    const ordered = await t.db.selectFrom('product.features').select('id').where('tenant_id', '=', TENANT_A).orderBy('name').orderBy('id').execute();
    expect(nodes.map((n) => n.id)).toEqual(ordered.map((r) => r.id));
  });

  it('a nested connection pages too: every feature of a release once', async () => {
    const release = await t.db.selectFrom('product.features').select('release_id').where('tenant_id', '=', TENANT_A)
      .where('release_id', 'is not', null).groupBy('release_id').orderBy(({ fn }) => fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: any = await t.query(
        `query ($id: ID!, $after: String) { release(id: $id) { features(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }`,
        { id: release.release_id, after },
      );
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data.release.features;
      seen.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const expected = await t.db.selectFrom('product.features').select('id').where('tenant_id', '=', TENANT_A)
      .where('release_id', '=', release.release_id).orderBy('name').orderBy('id').execute();
    expect(expected.length).toBeGreaterThan(1);
    expect(seen).toEqual(expected.map((r) => r.id));
  });
});
