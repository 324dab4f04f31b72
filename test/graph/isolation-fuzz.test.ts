import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A, TENANT_B } from '../support/tenants.js';

/** Every id anywhere in a response. */
function collectIds(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => collectIds(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'id' || key.endsWith('Id')) && typeof v === 'string') out.add(v);
      else collectIds(v, out);
    }
  }
  return out;
}

/** A selection of every field reachable from `type` down to `depth` object levels; lists ask for 3 items. */
function selection(type: GraphQLObjectType, depth: number, seen: string[] = []): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const argsOk = field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);
    if (!argsOk) continue;
    const args = field.args.some((a) => a.name === 'first') ? '(first: 3)' : '';
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(`${field.name}${args}`);
    else if (isObjectType(named) && depth > 0 && !seen.includes(`${type.name}.${field.name}`)) {
      const inner = selection(named, depth - 1, [...seen, `${type.name}.${field.name}`]);
      if (inner) parts.push(`${field.name}${args} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

function rootQueries(schema: GraphQLSchema, depth: number): { name: string; query: string }[] {
  const root = schema.getQueryType()!;
  return Object.values(root.getFields() as Record<string, GraphQLField<unknown, unknown>>)
    .filter((f) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined))
    .map((f) => {
      const args = f.args.some((a) => a.name === 'first') ? '(first: 5)' : '';
      const named = getNamedType(f.type);
      const inner = isObjectType(named) ? ` { ${selection(named, depth)} }` : '';
      return { name: f.name, query: `{ ${f.name}${args}${inner} }` };
    });
}

describe('isolation fuzz: generated queries over the whole schema', () => {
  let t: TestStack;
  let schema: GraphQLSchema;
  const theirs = new Set<string>();

  beforeAll(async () => {
    t = await startTestStack();
    schema = buildClientSchema((await t.query(getIntrospectionQuery())).body.data);
    const tables = await sql<{ name: string }>`
      select format('%I.%I', table_schema, table_name) as name from information_schema.columns
      where column_name = 'id' and table_schema in ('product','engineering','analytics','sales','finance','customer_success','integrations')`.execute(t.db);
    for (const { name } of tables.rows) {
      const { rows } = await sql<{ id: string }>`select id::text as id from ${sql.raw(name)} where tenant_id = ${TENANT_B}`.execute(t.db);
      rows.forEach((r) => theirs.add(r.id));
    }
  });
  afterAll(async () => { await t?.stop(); });

  it("no generated query, at any depth, returns an id of tenant B to tenant A", async () => {
    expect(theirs.size).toBeGreaterThan(1_000);
    let queries = 0;
    let tooCostly = 0;
    const seen = new Set<string>();
    for (const depth of [1, 2, 3]) {
      for (const { name, query } of rootQueries(schema, depth)) {
        const res = await t.query(query, {}, { tenant: TENANT_A });
        const refused = res.body.errors?.filter((e) => e.extensions?.code !== 'QUERY_TOO_COMPLEX') ?? [];
        expect(refused, `${name} at depth ${depth}: ${JSON.stringify(refused).slice(0, 300)}`).toEqual([]);
        if (res.body.errors?.length) tooCostly++;
        collectIds(res.body.data, seen);
        queries++;
      }
    }
    expect(queries).toBeGreaterThan(40);
    expect(tooCostly).toBeLessThan(queries / 4);
    expect(seen.size).toBeGreaterThan(200);
    expect([...seen].filter((id) => theirs.has(id))).toEqual([]);
  });

  it("every lookup by id, given tenant B's ids, finds nothing for tenant A", async () => {
    const lookups = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.length === 1 && f.args[0].name === 'id');
    expect(lookups.length).toBeGreaterThan(8);
    for (const lookup of lookups) {
      expect(TABLE_OF[lookup.name], `the table behind ${lookup.name}(id)`).toBeDefined();
      const table = await sql<{ id: string }>`
        select id::text as id from ${sql.raw(TABLE_OF[lookup.name])} where tenant_id = ${TENANT_B} limit 3`.execute(t.db);
      for (const { id } of table.rows) {
        const res = await t.query(`query ($id: ID!) { ${lookup.name}(id: $id) { id } }`, { id }, { tenant: TENANT_A });
        expect(res.body.errors, lookup.name).toBeUndefined();
        expect(res.body.data[lookup.name], `${lookup.name}(${id})`).toBeNull();
      }
    }
  });
});

describe('isolation fuzz with row-level security alone', () => {
  let t: TestStack;
  let schema: GraphQLSchema;
  const theirs = new Set<string>();

  // The code's scoping is turned against us: every query's code asks for tenant B (the token's),
  // while the connections carry tenant A, as a resolver that trusted the wrong tenant would.
  beforeAll(async () => {
    t = await startTestStack({ serving: (real) => ({ forTenant: () => real.forTenant(TENANT_A), destroy: () => real.destroy() }) });
    schema = buildClientSchema((await t.query(getIntrospectionQuery())).body.data);
    const { rows } = await sql<{ id: string }>`select id::text as id from product.features where tenant_id = ${TENANT_B}
      union all select id::text from sales.companies where tenant_id = ${TENANT_B}
      union all select id::text from analytics.end_users where tenant_id = ${TENANT_B}
      union all select id::text from integrations.connections where tenant_id = ${TENANT_B}`.execute(t.db);
    rows.forEach((r) => theirs.add(r.id));
  });
  afterAll(async () => { await t?.stop(); });

  it("Postgres returns none of tenant B's rows to a connection carrying tenant A, whatever the code asks", async () => {
    expect(theirs.size).toBeGreaterThan(300);
    const seen = new Set<string>();
    let queries = 0;
    for (const depth of [1, 2]) {
      for (const { query } of rootQueries(schema, depth)) {
        const res = await t.query(query, {}, { tenant: TENANT_B });
        collectIds(res.body.data, seen);
        queries++;
      }
    }
    expect(queries).toBeGreaterThan(20);
    expect([...seen].filter((id) => theirs.has(id))).toEqual([]);
    const counted = await t.query('{ features(first: 1) { totalCount } companies(first: 1) { totalCount } }', {}, { tenant: TENANT_B });
    expect(counted.body.data).toEqual({ features: { totalCount: 0 }, companies: { totalCount: 0 } });
  });
});

/** The table behind each lookup by id. */
const TABLE_OF: Record<string, string> = {
  feature: 'product.features',
  release: 'product.releases',
  repository: 'engineering.repositories',
  pullRequest: 'engineering.pull_requests',
  deployment: 'engineering.deployments',
  endUser: 'analytics.end_users',
  experiment: 'analytics.experiments',
  company: 'sales.companies',
  deal: 'sales.deals',
  subscription: 'finance.subscriptions',
  connection: 'integrations.connections',
};
