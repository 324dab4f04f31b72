import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../core/config.js';
import { BULK_CONNECTIONS, maxPageSize } from '../../core/page-sizes.js';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// Tenants of their own, with generated rows.
const MANY_USERS = 'audit_users';
const USERS = 2_750;
const EVENTS = 1_200;

/**
 * The list fields that are not connections, each bounded by something small and saying so in its
 * description. Any other list field of the graph must be a Relay connection.
 */
const BOUNDED_LISTS = new Set([
  // Columns of a page of features, for flat exports (core/feature-columns.ts).
  'AssociatedRevenueColumns.amounts',
  'AssociatedRevenueColumns.currencies',
  'FeatureAdoptionColumns.activeUsers',
  'FeatureAdoptionColumns.adoptionRate',
  'FeatureAdoptionColumns.powerUsers',
  'FeatureColumns.ids',
  'FeatureColumns.names',
  'FeatureColumns.releasedAt',
  'FeatureCostColumns.amounts',
  'FeatureCostColumns.currencies',
  'ChurnRisk.reasons',
  'Company.identities',
  'CustomerSegment.companies',
  'Feature.adoptingCompanies',
  'FeatureUsage.daily',
  'Query.connections',
  'Query.customerSegments',
  'RetentionReport.rows',
  'RevenueByAdoption.rows',
  'UsageReport.rows',
]);

const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
const isList = (type: TypeNode): boolean => (type.kind === Kind.LIST_TYPE ? true : type.kind === Kind.NON_NULL_TYPE ? isList(type.type) : false);

describe('every list a BI tool can read is a Relay connection', () => {
  let t: TestStack;
  let types: Map<string, ObjectTypeDefinitionNode>;
  /** A Relay connection type: one with `edges` (the vendor `Connection` entity is not one). */
  const isConnection = (typeName: string) => !!types.get(typeName)?.fields?.some((f) => f.name.value === 'edges');

  beforeAll(async () => {
    t = await startTestStack();
    const document = parse(await readFile(SUPERGRAPH_FILE, 'utf8'));
    types = new Map(document.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION).map((d) => [d.name.value, d]));
    await sql`insert into analytics.end_users (tenant_id, id, email, vendor, external_id)
      select ${MANY_USERS}, gen_random_uuid(), 'audit' || i || '@example.com', 'amplitude', 'audit-' || i from generate_series(1, ${USERS}::int) i`.execute(t.db);
    // Many events share an instant: the cursor's second key (insertId) must keep them apart.
    await sql`insert into analytics.usage_events (tenant_id, occurred_at, insert_id, end_user_id, feature_id, event_type, vendor)
      select ${MANY_USERS}, date_trunc('second', now()) - (i / 7) * interval '1 minute', 'audit-' || i, u.id, null, 'session_start', 'amplitude'
      from generate_series(1, ${EVENTS}::int) i
      cross join lateral (select id from analytics.end_users where tenant_id = ${MANY_USERS} order by id limit 1) u`.execute(t.db);
  });
  afterAll(async () => {
    await sql`delete from analytics.usage_events where tenant_id = ${MANY_USERS}`.execute(t.db);
    await sql`delete from analytics.end_users where tenant_id = ${MANY_USERS}`.execute(t.db);
    await t?.stop();
  });

  it('in the supergraph: each list field is a connection (edges, pageInfo, totalCount; first and after) or a documented bounded list', () => {
    const offenders: string[] = [];
    const connections: string[] = [];
    for (const [typeName, type] of types) {
      if (typeName.startsWith('join__') || typeName.startsWith('link__') || typeName === 'Mutation') continue;
      for (const field of type.fields ?? []) {
        const coordinate = `${typeName}.${field.name.value}`;
        if (isList(field.type)) {
          if (isConnection(typeName) && field.name.value === 'edges') continue;
          if (!BOUNDED_LISTS.has(coordinate)) offenders.push(coordinate);
          else expect(field.description?.value, coordinate).toMatch(/not a connection/);
          continue;
        }
        if (!isConnection(named(field.type))) continue;
        connections.push(coordinate);
        const args = new Set(field.arguments?.map((a) => a.name.value));
        expect(args.has('first') && args.has('after'), `${coordinate} takes first and after`).toBe(true);
        const fields = new Map((types.get(named(field.type))!.fields ?? []).map((f: FieldDefinitionNode) => [f.name.value, named(f.type)]));
        expect(fields.get('pageInfo'), coordinate).toBe('PageInfo');
        expect(fields.get('totalCount'), coordinate).toBe('Int');
        expect(fields.get('edges'), coordinate).toMatch(/Edge$/);
      }
    }
    expect(offenders).toEqual([]);
    expect(connections).toEqual(expect.arrayContaining(['Query.endUsers', 'Query.usageEvents', 'Query.features', 'Query.deals', 'Feature.feedback']));
  });

  /** Every connection field of the supergraph, as "Type.field". */
  const connectionFields = () =>
    [...types].flatMap(([typeName, type]) => (type.fields ?? []).filter((f) => isConnection(named(f.type))).map((f) => ({ coordinate: `${typeName}.${f.name.value}`, field: f })));

  it('each connection states its own maximum page size in its `first` argument: the bulk maximum for the root lists BI tools walk', () => {
    const all = connectionFields();
    expect(all.filter((c) => c.coordinate.startsWith('Query.')).map((c) => c.coordinate).sort()).toEqual([...BULK_CONNECTIONS].sort());
    expect(config().MAX_BULK_PAGE_SIZE).toBeGreaterThan(config().MAX_PAGE_SIZE);
    for (const { coordinate, field } of all) {
      const first = field.arguments?.find((a) => a.name.value === 'first')?.description?.value;
      const bulk = maxPageSize(coordinate) === config().MAX_BULK_PAGE_SIZE;
      expect(bulk, coordinate).toBe(coordinate.startsWith('Query.'));
      expect(first, coordinate).toContain(bulk ? '(MAX_BULK_PAGE_SIZE, 1,000 by default)' : '(MAX_PAGE_SIZE, 100 by default)');
    }
  });

  it('every root connection takes a page of its maximum and refuses one more, saying the maximum', async () => {
    const roots = (types.get('Query')!.fields ?? []).filter((f) => isConnection(named(f.type))).map((f) => f.name.value);
    expect(roots.length).toBeGreaterThan(10);
    for (const field of roots) {
      const maximum = maxPageSize(`Query.${field}`);
      const largest = await t.query(`{ ${field}(first: ${maximum}) { totalCount pageInfo { hasNextPage } } }`);
      expect(largest.body.errors, field).toBeUndefined();
      const res = await t.query(`{ ${field}(first: ${maximum + 1}) { totalCount } }`);
      expect(res.body.errors?.[0].extensions?.code, field).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].extensions?.maximum, field).toBe(maximum);
      expect(res.body.errors?.[0].message, field).toBe(`\`first\` must be between 1 and ${maximum} for this list; page through larger results with \`after\`.`);
    }
  });

  /** A query reaching each nested connection (a page per parent) with `first: $first`. */
  const NESTED: Record<string, string> = {
    'Company.deals': '{ companies(first: 1) { edges { node { deals(first: $first) { totalCount } } } } }',
    'Company.subscriptions': '{ companies(first: 1) { edges { node { subscriptions(first: $first) { totalCount } } } } }',
    'Connection.recordErrors': '{ connections { recordErrors(first: $first) { totalCount } } }',
    'Connection.runs': '{ connections { runs(first: $first) { totalCount } } }',
    'Feature.feedback': '{ features(first: 1) { edges { node { feedback(first: $first) { totalCount } } } } }',
    'FeatureDelivery.pullRequests': '{ features(first: 1) { edges { node { delivery { pullRequests(first: $first) { totalCount } } } } } }',
    'PipelineReport.stages': '{ pipelineByStage { stages(first: $first) { totalCount } } }',
    'Release.deployments': '{ releases(first: 1) { edges { node { deployments(first: $first) { totalCount } } } } }',
    'Release.features': '{ releases(first: 1) { edges { node { features(first: $first) { totalCount } } } } }',
    'Repository.deployments': '{ repositories(first: 1) { edges { node { deployments(first: $first) { totalCount } } } } }',
    'Repository.pullRequests': '{ repositories(first: 1) { edges { node { pullRequests(first: $first) { totalCount } } } } }',
  };

  it('every nested connection keeps the ordinary maximum: a page of it works, one more is refused', async () => {
    const nested = connectionFields().map((c) => c.coordinate).filter((c) => !c.startsWith('Query.'));
    expect(Object.keys(NESTED).sort()).toEqual(nested.sort());
    for (const [coordinate, query] of Object.entries(NESTED)) {
      const maximum = maxPageSize(coordinate);
      expect(maximum, coordinate).toBe(config().MAX_PAGE_SIZE);
      const run = (first: number) => t.query(`query ($first: Int) ${query}`, { first });
      expect((await run(maximum)).body.errors, coordinate).toBeUndefined();
      const res = await run(maximum + 1);
      expect(res.body.errors?.[0].extensions?.code, coordinate).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].message, coordinate).toMatch(new RegExp(`between 1 and ${maximum} for this list`));
    }
  });

  async function walk(query: string, field: string) {
    const ids: string[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    do {
      const res: any = await t.query(query, { after, first: maxPageSize(`Query.${field}`) }, { tenant: MANY_USERS });
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data[field];
      totals.add(page.totalCount);
      ids.push(...page.edges.map((e: any) => e.node.id ?? `${e.node.occurredAt}/${e.node.insertId}`));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return { ids, totals };
  }

  it(`walks ${USERS.toLocaleString('en')} end users through endUsers: each exactly once, in id order, as many as totalCount`, async () => {
    const { ids, totals } = await walk(
      'query ($first: Int, $after: String) { endUsers(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }',
      'endUsers',
    );
    const { rows } = await sql<{ id: string }>`select id from analytics.end_users where tenant_id = ${MANY_USERS} order by id`.execute(t.db);
    expect(rows).toHaveLength(USERS);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(rows.map((r) => r.id));
    expect([...totals]).toEqual([USERS]);
  });

  it('walks usage events through usageEvents: each exactly once, oldest first, ties kept apart by insertId', async () => {
    const { ids, totals } = await walk(
      `query ($first: Int, $after: String) { usageEvents(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { occurredAt insertId eventType endUser { id } } } } }`,
      'usageEvents',
    );
    const { rows } = await sql<{ key: string }>`
      select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '/' || insert_id as key
      from analytics.usage_events where tenant_id = ${MANY_USERS} order by occurred_at, insert_id`.execute(t.db);
    expect(rows).toHaveLength(EVENTS);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(rows.map((r) => r.key));
    expect([...totals]).toEqual([EVENTS]);
  });
});
