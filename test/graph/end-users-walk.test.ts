import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';

const TENANT = 'end_users_walk';
const USERS = 1_500;

const walk = (node: string) => `query ($after: String) { endUsers(first: 1000, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${node} } } } }`;

describe('walking end users reads only what the walk asks', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
    const company = randomUUID();
    await sql`insert into analytics.end_users (tenant_id, id, company_id, email, last_seen_at, vendor, external_id, url)
      select ${TENANT}, gen_random_uuid(), case when i % 3 = 0 then ${company}::uuid end, 'walk' || i || '@example.com',
        case when i % 2 = 0 then now() - i * interval '1 minute' end, 'amplitude', 'walk-' || i, 'https://amplitude.example/u/' || i
      from generate_series(1, ${USERS}::int) i`.execute(t.db);
  });

  afterAll(async () => {
    await sql`delete from analytics.end_users where tenant_id = ${TENANT}`.execute(t.db);
    await t?.stop();
  });

  async function every(node: string): Promise<any[]> {
    const rows: any[] = [];
    let after: string | null = null;
    do {
      const res: any = await t.query(walk(node), { after }, { tenant: TENANT });
      expect(res.body.errors).toBeUndefined();
      rows.push(...res.body.data.endUsers.edges.map((e: any) => e.node));
      after = res.body.data.endUsers.pageInfo.hasNextPage ? res.body.data.endUsers.pageInfo.endCursor : null;
    } while (after);
    return rows;
  }

  it('id, email, lastSeenAt and company come from the walk columns alone, equal to a full read; asking for more reads every column', async () => {
    t.statements.length = 0;
    const lean = await every('id email lastSeenAt company { id }');
    const leanPages = t.statements.filter((s) => /from "analytics"\."end_users"/.test(s) && /\blimit\b/.test(s));
    expect(leanPages).toHaveLength(2);
    for (const statement of leanPages) expect(statement).not.toMatch(/"url"|"first_seen_at"|"synced_at"/);

    t.statements.length = 0;
    const full = await every('id email lastSeenAt firstSeenAt company { id } source { url }');
    const fullPages = t.statements.filter((s) => /from "analytics"\."end_users"/.test(s) && /\blimit\b/.test(s));
    expect(fullPages.every((s) => /"url"/.test(s))).toBe(true);

    expect(lean).toHaveLength(USERS);
    expect(lean).toEqual(full.map(({ id, email, lastSeenAt, company }) => ({ id, email, lastSeenAt, company })));
    expect(full.filter((u) => u.source.url).length).toBe(USERS);
    expect(lean.filter((u) => u.company).length).toBe(USERS / 3);
    expect(lean.filter((u) => u.lastSeenAt).length).toBe(USERS / 2);
  });
});
