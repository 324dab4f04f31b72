import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';

describe('a subgraph down', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it('gives the data the others have and errors naming the missing paths, never a bare 500', async () => {
    const query = '{ features(first: 3) { edges { node { name cost { amount } adoption { activeUsers } } } } }';
    const healthy = await t.query(query);
    expect(healthy.body.errors).toBeUndefined();

    await t.stack.subgraphs.get('finance')!.close();
    const res = await t.query(query);
    expect(res.status).toBe(200);
    const nodes = res.body.data.features.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(3);
    nodes.forEach((node: any, i: number) => {
      expect(node.name).toBe(healthy.body.data.features.edges[i].node.name);
      expect(node.adoption).toEqual(healthy.body.data.features.edges[i].node.adoption);
      expect(node.cost).toBeNull();
    });
    expect(res.body.errors?.length).toBeGreaterThan(0);
    const paths = res.body.errors!.map((e) => (e.path ?? []).join('.'));
    expect(paths).toContain('features.edges.0.node.cost');
    expect(res.body.errors!.every((e) => typeof e.extensions?.code === 'string')).toBe(true);

    const ready = await fetch(t.url.replace(/\/graphql$/, '/readyz'));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as any).down).toEqual(['finance']);
  });
});
