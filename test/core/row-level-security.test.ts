import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sql } from 'kysely';
import { createDb, createTenantDatabases, type Db, type TenantDatabases } from '../../core/db.js';
import { TENANT_A, TENANT_B } from '../support/tenants.js';

/** Postgres alone keeps tenants apart: these queries have no `where tenant_id` at all. */
describe('row-level security, the second wall', () => {
  let owner: Db;
  let serving: TenantDatabases;
  let tables: string[];
  beforeAll(async () => {
    owner = createDb({ url: inject('databaseUrl'), poolSize: 2 });
    serving = createTenantDatabases({ url: inject('databaseUrl'), poolSize: 4 });
    tables = (await sql<{ name: string }>`
      select format('%I.%I', c.table_schema, c.table_name) as name
      from information_schema.columns c join pg_class k on k.oid = format('%I.%I', c.table_schema, c.table_name)::regclass
      where c.column_name = 'tenant_id' and not k.relispartition
        and c.table_schema in ('product','engineering','analytics','sales','finance','customer_success','integrations')
      order by 1`.execute(owner)).rows.map((r) => r.name);
  });
  afterAll(async () => { await serving?.destroy(); await owner?.destroy(); });

  it('every tenant table shows a tenant its own rows only, and nobody anything', async () => {
    expect(tables.length).toBeGreaterThanOrEqual(26);
    let seenRows = 0;
    for (const table of tables) {
      const [own, visible, strangers] = await Promise.all([
        sql<{ n: string }>`select count(*) as n from ${sql.raw(table)} where tenant_id = ${TENANT_A}`.execute(owner),
        sql<{ n: string; other: string }>`select count(*) as n, count(*) filter (where tenant_id <> ${TENANT_A}) as other from ${sql.raw(table)}`.execute(serving.forTenant(TENANT_A)),
        sql<{ n: string }>`select count(*) as n from ${sql.raw(table)}`.execute(serving.forTenant('nobody')),
      ]);
      expect(visible.rows[0].n, table).toBe(own.rows[0].n);
      expect(visible.rows[0].other, table).toBe('0');
      expect(strangers.rows[0].n, table).toBe('0');
      seenRows += Number(visible.rows[0].n);
    }
    expect(seenRows).toBeGreaterThan(10_000);
  });

  it("refuses to write a row for another tenant, and cannot touch another tenant's rows", async () => {
    const theirs = await owner.selectFrom('product.releases').select(['id', 'name']).where('tenant_id', '=', TENANT_B).limit(1).executeTakeFirstOrThrow();
    const insert = sql`insert into product.releases (tenant_id, id, name, vendor, external_id) values (${TENANT_B}, gen_random_uuid(), 'sneaky', 'jira', 'x-1')`
      .execute(serving.forTenant(TENANT_A))
      .then(() => null, (e: Error & { code?: string }) => e.code);
    expect(await insert).toBe('42501');
    const update = await sql`update product.releases set name = 'renamed' where id = ${theirs.id}`.execute(serving.forTenant(TENANT_A));
    expect(Number(update.numAffectedRows)).toBe(0);
    const after = await owner.selectFrom('product.releases').select('name').where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(after.name).toBe(theirs.name);
    const sneaky = await owner.selectFrom('product.releases').select('id').where('name', '=', 'sneaky').execute();
    expect(sneaky).toEqual([]);
  });
});
